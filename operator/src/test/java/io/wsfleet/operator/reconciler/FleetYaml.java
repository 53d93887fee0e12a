package io.wsfleet.operator.reconciler;

/** Fleets for the operator tests: small pods, fast scrapes, a real Redis between the servers. */
final class FleetYaml {

  static final int CLIENT_PORT = 18080;

  /** Manual mode, scraped every second. */
  static final String MANUAL = "enabled: false\n";

  private FleetYaml() {}

  /**
   * A fleet of pods capped at 100 connections, aiming at 20 per pod, scraped every second.
   *
   * @param autoscaling lines added under spec.autoscaling
   * @param extraSpec lines added under spec (not autoscaling)
   */
  static String fleet(String name, String redisAddress, String autoscaling, String extraSpec) {
    return """
        apiVersion: wsfleet.io/v1alpha1
        kind: WebSocketFleet
        metadata:
          name: %s
        spec:
          template:
            clientPort: 18080
            adminPort: 19090
          capacity:
            maxConnectionsPerPod: 100
          broker:
            type: Redis
            redis:
              address: "%s"
          autoscaling:
            targetConnectionsPerPod: 20
            scrapeIntervalSeconds: 1
        %s
        %s
        """
        .formatted(
            name,
            redisAddress,
            autoscaling.indent(4).stripTrailing(),
            extraSpec.indent(2).stripTrailing());
  }

  /** Autoscaling between 1 and 4 pods with the given scale-down window. */
  static String autoscaling(int downWindowSeconds, boolean rebalance) {
    return """
        enabled: true
        minReplicas: 1
        maxReplicas: 4
        scaleDown:
          stabilizationWindowSeconds: %d
        rebalance:
          enabled: %s
        panic:
          windowSeconds: 2
        """
        .formatted(downWindowSeconds, rebalance);
  }

  /** A drain fast enough for tests. */
  static final String QUICK_DRAIN =
      """
      drain:
        reconnectRatePerSecond: 20
        timeoutSeconds: 30
        reconnectDelayMaxMillis: 200
      """;
}
