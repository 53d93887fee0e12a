package io.wsfleet.e2e.load;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a load run. {@code lost} counts offsets a client never received: gaps, plus what
 * it lacked of the last publish when the settle time ran out; {@code truncated*} are losses the
 * server announced ({@code truncated} frames) and are reported apart. Latency is measured on live
 * messages only; {@code replayed} ones (history sent on resume) would measure the reconnect. {@code
 * subscribesRefused} counts subscribes a server answered with {@code broker_unavailable}; the
 * client then reconnects and subscribes again.
 */
public record LoadReport(
    String profile,
    double durationSeconds,
    long peakConnections,
    long connectedAtEnd,
    long reconnects,
    long closedByDrain,
    long reconnectedAfterDrain,
    long drainedThenStopped,
    Map<String, Long> closesByCode,
    Map<String, Long> handshakeFailures,
    long subscribesRefused,
    long published,
    long publishRefused,
    long publishUnsent,
    long received,
    long replayed,
    long lost,
    long duplicated,
    long outOfOrder,
    long truncatedNotices,
    long truncatedMessages,
    long clientsNotCaughtUp,
    double latencyP50Millis,
    double latencyP99Millis,
    double latencyMaxMillis) {

  public LoadReport {
    closesByCode = Map.copyOf(closesByCode);
    handshakeFailures = Map.copyOf(handshakeFailures);
  }

  /** True when no message was lost, repeated or reordered and every drained client came back. */
  public boolean clean() {
    return lost == 0
        && duplicated == 0
        && outOfOrder == 0
        && truncatedMessages == 0
        && clientsNotCaughtUp == 0
        && closedByDrain == reconnectedAfterDrain + drainedThenStopped;
  }

  /** One figure per line, {@code name: value}. */
  public String toText() {
    List<String> lines = new ArrayList<>();
    toJson().forEach(e -> lines.add(e.getKey() + ": " + text(e.getValue())));
    return String.join("\n", lines) + "\n";
  }

  private static String text(Object value) {
    if (value instanceof Double d) {
      return String.format(Locale.ROOT, "%.2f", d);
    }
    if (value instanceof JsonObject map) {
      return map.isEmpty() ? "none" : map.encode();
    }
    return String.valueOf(value);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("profile", profile)
        .put("durationSeconds", round(durationSeconds))
        .put("peakConnections", peakConnections)
        .put("connectedAtEnd", connectedAtEnd)
        .put("reconnects", reconnects)
        .put("closedByDrain", closedByDrain)
        .put("reconnectedAfterDrain", reconnectedAfterDrain)
        .put("drainedThenStopped", drainedThenStopped)
        .put("closesByCode", json(closesByCode))
        .put("handshakeFailures", json(handshakeFailures))
        .put("subscribesRefused", subscribesRefused)
        .put("published", published)
        .put("publishRefused", publishRefused)
        .put("publishUnsent", publishUnsent)
        .put("received", received)
        .put("replayed", replayed)
        .put("lost", lost)
        .put("duplicated", duplicated)
        .put("outOfOrder", outOfOrder)
        .put("truncatedNotices", truncatedNotices)
        .put("truncatedMessages", truncatedMessages)
        .put("clientsNotCaughtUp", clientsNotCaughtUp)
        .put("latencyP50Millis", round(latencyP50Millis))
        .put("latencyP99Millis", round(latencyP99Millis))
        .put("latencyMaxMillis", round(latencyMaxMillis))
        .put("clean", clean());
  }

  private static JsonObject json(Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    new TreeMap<>(counts).forEach(json::put);
    return json;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
