package io.wsfleet.e2e.load;

import java.io.PrintStream;
import java.util.List;

/**
 * Settings of a {@link LoadClient}; start from {@link #defaults(List)} and change with the {@code
 * with...} methods.
 *
 * @param targets {@code host:port} or {@code ws://host:port/ws}, used round-robin
 * @param sourceAddresses local addresses the clients' sockets are spread over; empty: the OS picks
 * @param channels channels each client subscribes to, named {@code <channelPrefix>-0 ..}
 * @param publishRate messages per second in total, spread over the channels
 * @param publishRatePerLink messages per second one publisher connection sends (ws-node limits
 *     publishes per connection: 50/s by default)
 * @param settleSeconds how long the end waits for clients to catch up with the last publish
 * @param progress where the progress line goes; null: nowhere
 * @param progressTty true: rewrite one line every second; false: a line every 10 s
 */
public record LoadOptions(
    List<String> targets,
    List<String> sourceAddresses,
    int channels,
    String channelPrefix,
    double publishRate,
    int publishRatePerLink,
    long backoffMinMillis,
    long backoffMaxMillis,
    long drainJitterMillis,
    int settleSeconds,
    PrintStream progress,
    boolean progressTty) {

  /** Sockets one source address may carry: its ephemeral ports, with a margin. */
  public static final int MAX_SOCKETS_PER_SOURCE = 20_000;

  public LoadOptions {
    targets = List.copyOf(targets);
    sourceAddresses = List.copyOf(sourceAddresses);
    if (channels < 1 || publishRate < 0 || publishRatePerLink < 1 || backoffMinMillis < 1) {
      throw new IllegalArgumentException("channels, rates and backoff must be positive");
    }
  }

  public static LoadOptions defaults(List<String> targets) {
    return new LoadOptions(targets, List.of(), 1, "load", 20, 40, 100, 5_000, 250, 30, null, false);
  }

  /** Accepts {@code 127.0.1.1-127.0.1.50}, lists and {@code a.b.c.d/n}; see SourceAddresses. */
  public LoadOptions withSourceAddresses(String ranges) {
    return new LoadOptions(
        targets,
        SourceAddresses.parse(ranges),
        channels,
        channelPrefix,
        publishRate,
        publishRatePerLink,
        backoffMinMillis,
        backoffMaxMillis,
        drainJitterMillis,
        settleSeconds,
        progress,
        progressTty);
  }

  public LoadOptions withChannels(int count) {
    return new LoadOptions(
        targets,
        sourceAddresses,
        count,
        channelPrefix,
        publishRate,
        publishRatePerLink,
        backoffMinMillis,
        backoffMaxMillis,
        drainJitterMillis,
        settleSeconds,
        progress,
        progressTty);
  }

  public LoadOptions withPublishRate(double perSecond) {
    return new LoadOptions(
        targets,
        sourceAddresses,
        channels,
        channelPrefix,
        perSecond,
        publishRatePerLink,
        backoffMinMillis,
        backoffMaxMillis,
        drainJitterMillis,
        settleSeconds,
        progress,
        progressTty);
  }

  public LoadOptions withSettleSeconds(int seconds) {
    return new LoadOptions(
        targets,
        sourceAddresses,
        channels,
        channelPrefix,
        publishRate,
        publishRatePerLink,
        backoffMinMillis,
        backoffMaxMillis,
        drainJitterMillis,
        seconds,
        progress,
        progressTty);
  }

  public LoadOptions withProgress(PrintStream out, boolean tty) {
    return new LoadOptions(
        targets,
        sourceAddresses,
        channels,
        channelPrefix,
        publishRate,
        publishRatePerLink,
        backoffMinMillis,
        backoffMaxMillis,
        drainJitterMillis,
        settleSeconds,
        out,
        tty);
  }

  String channel(int index) {
    return channelPrefix + "-" + index;
  }
}
