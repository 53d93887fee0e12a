package io.wsfleet.e2e.fleet;

import java.util.List;
import java.util.Map;

/**
 * What the scenario changes in the sample WebSocketFleet so that a laptop-sized load crosses its
 * thresholds: a small target per pod, fast scrapes, short windows, small pods. The broker stays the
 * sample's: the demo Redis at redis.messaging:6379, found through cluster DNS.
 */
final class FleetSettings {

  static final int MIN_REPLICAS = 2;
  static final int SCRAPE_SECONDS = 2;
  static final int SCALE_DOWN_WINDOW_SECONDS = 20;

  /**
   * How long the fleet may take to follow the load, generous for a shared 2-core machine. Up: two
   * scrapes, a decision and a JVM starting. Down: the window, then one drain (100 clients/s, a few
   * seconds) after another, then slack.
   */
  static final int SCALE_UP_SECONDS = 30;

  /**
   * JOSDK's Lease duration: the longest a standby waits before it takes over from a leader that
   * vanished.
   */
  static final int LEASE_SECONDS = 15;

  static int scaleDownSeconds(int podsToRemove) {
    return SCALE_DOWN_WINDOW_SECONDS + 6 * podsToRemove + 15;
  }

  /**
   * The same with a leader hand-over on the way down: the Lease changes hands, and the new leader
   * first watches a whole scale-down window before it shrinks the fleet.
   */
  static int scaleDownSecondsWithHandOver(int podsToRemove) {
    return scaleDownSeconds(podsToRemove) + LEASE_SECONDS + SCALE_DOWN_WINDOW_SECONDS;
  }

  private FleetSettings() {}

  static Map<String, Object> overrides(int targetPerPod, int maxReplicas) {
    return Map.of(
        "spec",
        Map.of(
            "template",
            Map.of(
                // A dozen servers share 2 cores: small heaps, a quick JIT, small stacks.
                "resources",
                Map.of(
                    "requests", Map.of("cpu", "50m", "memory", "128Mi"),
                    "limits", Map.of("memory", "256Mi")),
                "env",
                List.of(
                    Map.of(
                        "name",
                        "JAVA_TOOL_OPTIONS",
                        "value",
                        "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k"))),
            "capacity",
            Map.of("maxConnectionsPerPod", targetPerPod * 2),
            "autoscaling",
            Map.of(
                "enabled",
                true,
                "minReplicas",
                MIN_REPLICAS,
                "maxReplicas",
                maxReplicas,
                "targetConnectionsPerPod",
                targetPerPod,
                "scrapeIntervalSeconds",
                SCRAPE_SECONDS,
                "scaleDown",
                // Laptop numbers: two pods per 10 s step, where production defaults to 1 per 60 s.
                Map.of(
                    "stabilizationWindowSeconds",
                    SCALE_DOWN_WINDOW_SECONDS,
                    "maxPodsPerStep",
                    2,
                    "periodSeconds",
                    10),
                "panic",
                Map.of("windowSeconds", 10)),
            "drain",
            Map.of(
                "reconnectRatePerSecond", 100,
                "timeoutSeconds", 60,
                "reconnectDelayMaxMillis", 1000)));
  }

  /** Deep-merges {@code overrides} into {@code target}: maps merge, anything else replaces. */
  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> target, Map<String, Object> overrides) {
    for (var e : overrides.entrySet()) {
      Object existing = target.get(e.getKey());
      if (existing instanceof Map
          && e.getValue() instanceof Map
          && !((Map<?, ?>) e.getValue()).isEmpty()) {
        merge((Map<String, Object>) existing, (Map<String, Object>) e.getValue());
      } else {
        target.put(
            e.getKey(),
            e.getValue() instanceof Map<?, ?> m ? new java.util.LinkedHashMap<>(m) : e.getValue());
      }
    }
  }
}
