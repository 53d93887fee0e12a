package io.wsfleet.e2e.operatorbench;

/**
 * One scenario's shape: how many autoscaled fleets, how many pods each settles at, and the size it
 * grows to when clients rise by a fifth. Every fleet aims for {@link #TARGET_PER_POD} connections a
 * pod, so the stand-in's client total decides the size; minReplicas is the settled size, so a fleet
 * starts at it at once and comes back to exactly it (the autoscaler's tolerance would otherwise let
 * it stop a few pods short).
 */
record BenchScenario(String name, int fleets, int podsPerFleet, int intervalSeconds) {

  static final int TARGET_PER_POD = 100;
  static final int MAX_CONNECTIONS_PER_POD = 1000;
  static final int DRAIN_RATE_PER_SECOND = 20;
  static final int SCALE_DOWN_WINDOW_SECONDS = 20;

  static BenchScenario named(String name, Integer fleets, Integer pods, int intervalSeconds) {
    return switch (name) {
      case "fleets-100x10" ->
          new BenchScenario(name, orElse(fleets, 100), orElse(pods, 10), intervalSeconds);
      case "fleet-300" ->
          new BenchScenario(name, orElse(fleets, 1), orElse(pods, 300), intervalSeconds);
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }

  private static int orElse(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  int grownPodsPerFleet() {
    return podsPerFleet + Math.max(1, (podsPerFleet + 4) / 5);
  }

  String fleetName(int i) {
    return fleets == 1 ? "big" : String.format("f-%03d", i);
  }

  /** The fleet as applied: autoscaled on connections, quick to shrink and drain. */
  String manifest(int i, String namespace, int adminPort) {
    int maxReplicas = Math.min(1000, grownPodsPerFleet() * 2);
    return """
        apiVersion: wsfleet.io/v1alpha1
        kind: WebSocketFleet
        metadata:
          name: NAME
          namespace: NAMESPACE
        spec:
          template:
            clientPort: 8080
            adminPort: ADMIN_PORT
          capacity:
            maxConnectionsPerPod: MAX_CONNECTIONS
          broker:
            type: Redis
            redis:
              address: 127.0.0.1:6379
          autoscaling:
            enabled: true
            minReplicas: MIN_REPLICAS
            maxReplicas: MAX_REPLICAS
            targetConnectionsPerPod: TARGET
            scrapeIntervalSeconds: INTERVAL
            scaleUp:
              maxPodsPerStep: 1000
            scaleDown:
              stabilizationWindowSeconds: WINDOW
              maxPodsPerStep: 1000
          drain:
            reconnectRatePerSecond: DRAIN_RATE
            timeoutSeconds: 120
            # Every pod leaving at once, as the phases ask: the operator's cost, not the pacing.
            maxConcurrent: 100
        """
        .replace("NAMESPACE", namespace)
        .replace("NAME", fleetName(i))
        .replace("ADMIN_PORT", Integer.toString(adminPort))
        .replace("MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS_PER_POD))
        .replace("MIN_REPLICAS", Integer.toString(podsPerFleet))
        .replace("MAX_REPLICAS", Integer.toString(maxReplicas))
        .replace("TARGET", Integer.toString(TARGET_PER_POD))
        .replace("INTERVAL", Integer.toString(intervalSeconds))
        .replace("WINDOW", Integer.toString(SCALE_DOWN_WINDOW_SECONDS))
        .replace("DRAIN_RATE", Integer.toString(DRAIN_RATE_PER_SECOND));
  }
}
