package io.wsfleet.e2e.load;

/** Live numbers of a running {@link LoadClient}, safe to read from any thread. */
public record LoadSnapshot(
    double elapsedSeconds,
    String phase,
    int targetClients,
    long connected,
    long peakConnected,
    long reconnects,
    long closedByDrain,
    long reconnectedAfterDrain,
    long handshakeFailures,
    long subscribesRefused,
    long published,
    long received,
    long receivedPerSecond,
    long lost,
    long duplicated,
    long outOfOrder,
    long truncated) {

  /** The progress line. */
  public String line() {
    return String.format(
        java.util.Locale.ROOT,
        "%6.1fs %-14s clients %d/%d reconnects %d (drain %d->%d) failed-handshakes %d"
            + " refused-subscribes %d msgs %d/s published %d lost %d dup %d ooo %d truncated %d",
        elapsedSeconds,
        phase,
        connected,
        targetClients,
        reconnects,
        closedByDrain,
        reconnectedAfterDrain,
        handshakeFailures,
        subscribesRefused,
        receivedPerSecond,
        published,
        lost,
        duplicated,
        outOfOrder,
        truncated);
  }
}
