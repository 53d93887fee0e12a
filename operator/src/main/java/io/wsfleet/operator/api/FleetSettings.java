package io.wsfleet.operator.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The spec's defaults, once: the CRD's {@code @Default} annotations, the field descriptions and the
 * Java fallbacks all use these constants (FleetDefaultsTest ties them to crds/ and README). The
 * accessors read a fleet with those defaults applied, for code that reads a fleet built in Java
 * (tests, an API server that has not defaulted yet) as well as one read from the cluster.
 */
public final class FleetSettings {

  /**
   * The ws-node image a fleet runs unless {@code spec.template.image} says otherwise: the one this
   * build makes, {@code wsfleet/ws-node:<project version>} (ImageNamesTest keeps them equal).
   */
  public static final String DEFAULT_IMAGE = "wsfleet/ws-node:0.1.0";

  /** Default of {@code WebSocketFleetSpec.replicas}. */
  public static final int DEFAULT_REPLICAS = 1;

  /** Default of {@code FleetPodTemplate.imagePullPolicy}. */
  public static final String DEFAULT_IMAGE_PULL_POLICY = "IfNotPresent";

  /** Default of {@code FleetPodTemplate.clientPort}. */
  public static final int DEFAULT_CLIENT_PORT = 8080;

  /** Default of {@code FleetPodTemplate.adminPort}. */
  public static final int DEFAULT_ADMIN_PORT = 9090;

  /** Default of {@code CapacitySpec.maxConnectionsPerPod}. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_POD = 10_000;

  /** Default of {@code AutoscalingSpec.enabled}. */
  public static final boolean DEFAULT_AUTOSCALING_ENABLED = false;

  /** Default of {@code AutoscalingSpec.minReplicas}. */
  public static final int DEFAULT_MIN_REPLICAS = 1;

  /** Default of {@code AutoscalingSpec.maxReplicas}. */
  public static final int DEFAULT_MAX_REPLICAS = 10;

  /** Default of {@code AutoscalingSpec.targetConnectionsPerPod}. */
  public static final int DEFAULT_TARGET_CONNECTIONS_PER_POD = 7000;

  /** Default of {@code AutoscalingSpec.tolerancePercent}. */
  public static final int DEFAULT_TOLERANCE_PERCENT = 10;

  /** Default of {@code AutoscalingSpec.scrapeIntervalSeconds}. */
  public static final int DEFAULT_SCRAPE_INTERVAL_SECONDS = 5;

  /** Default of {@code ScaleUpRules.stabilizationWindowSeconds}. */
  public static final int DEFAULT_SCALE_UP_WINDOW_SECONDS = 0;

  /** Default of {@code ScaleUpRules.maxPodsPerStep}. */
  public static final int DEFAULT_SCALE_UP_MAX_PODS_PER_STEP = 4;

  /** Default of {@code ScaleDownRules.stabilizationWindowSeconds}. */
  public static final int DEFAULT_SCALE_DOWN_WINDOW_SECONDS = 300;

  /** Default of {@code ScaleDownRules.maxPodsPerStep}. */
  public static final int DEFAULT_SCALE_DOWN_MAX_PODS_PER_STEP = 1;

  /** Default of {@code PanicSpec.capThresholdPercent}. */
  public static final int DEFAULT_PANIC_CAP_THRESHOLD_PERCENT = 90;

  /** Default of {@code PanicSpec.targetThresholdPercent}. */
  public static final int DEFAULT_PANIC_TARGET_THRESHOLD_PERCENT = 200;

  /** Default of {@code PanicSpec.windowSeconds}. */
  public static final int DEFAULT_PANIC_WINDOW_SECONDS = 60;

  /** Default of {@code RebalanceSpec.enabled}. */
  public static final boolean DEFAULT_REBALANCE_ENABLED = true;

  /** Default of {@code RebalanceSpec.thresholdPercent}. */
  public static final int DEFAULT_REBALANCE_THRESHOLD_PERCENT = 150;

  /** Default of {@code DrainSpec.reconnectRatePerSecond}. */
  public static final int DEFAULT_RECONNECT_RATE_PER_SECOND = 100;

  /** Default of {@code DrainSpec.timeoutSeconds}. */
  public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 300;

  /** Default of {@code DrainSpec.reconnectDelayMaxMillis}. */
  public static final int DEFAULT_RECONNECT_DELAY_MAX_MILLIS = 5000;

  /** Default of {@code DrainSpec.podSelection}. */
  public static final String DEFAULT_POD_SELECTION = "FewestConnections";

  /** Default of {@code BrokerSpec.type}. */
  public static final String DEFAULT_BROKER_TYPE = "InProcess";

  /** Default of {@code BrokerSpec.historyMaxEntries}. */
  public static final int DEFAULT_HISTORY_MAX_ENTRIES = 10_000;

  /** Default of {@code RedisSpec.database}. */
  public static final int DEFAULT_REDIS_DATABASE = 0;

  /** Default of {@code ServiceSpec.type}. */
  public static final String DEFAULT_SERVICE_TYPE = "ClusterIP";

  /** Default of {@code ServiceSpec.port}. */
  public static final int DEFAULT_SERVICE_PORT = 80;

  /** Default of {@code RolloutSpec.maxSurge}. */
  public static final int DEFAULT_MAX_SURGE = 1;

  /** Default of {@code DisruptionSpec.maxUnavailable}. */
  public static final int DEFAULT_MAX_UNAVAILABLE = 1;

  /** Default of {@code ScaleUpRules.periodSeconds}. */
  public static final int DEFAULT_SCALE_UP_PERIOD_SECONDS = 15;

  /** Default of {@code ScaleDownRules.periodSeconds}. */
  public static final int DEFAULT_SCALE_DOWN_PERIOD_SECONDS = 60;

  /** Default of {@code DrainSpec.maxConcurrent}. */
  public static final int DEFAULT_MAX_CONCURRENT_DRAINS = 2;

  /** Default of {@code RolloutSpec.minReadySeconds}. */
  public static final int DEFAULT_MIN_READY_SECONDS = 10;

  /** Default of {@code RolloutSpec.progressDeadlineSeconds}. */
  public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  /** Default of {@code CapacitySpec.replaceUnreadyAfterSeconds}. */
  public static final int DEFAULT_REPLACE_UNREADY_AFTER_SECONDS = 300;

  private FleetSettings() {}

  public static int clientPort(WebSocketFleet fleet) {
    return get(fleet, s -> s.getTemplate(), FleetPodTemplate::getClientPort, DEFAULT_CLIENT_PORT);
  }

  public static int adminPort(WebSocketFleet fleet) {
    return get(fleet, s -> s.getTemplate(), FleetPodTemplate::getAdminPort, DEFAULT_ADMIN_PORT);
  }

  public static int maxConnectionsPerPod(WebSocketFleet fleet) {
    return get(
        fleet,
        s -> s.getCapacity(),
        CapacitySpec::getMaxConnectionsPerPod,
        DEFAULT_MAX_CONNECTIONS_PER_POD);
  }

  public static Duration scrapeInterval(WebSocketFleet fleet) {
    return Duration.ofSeconds(
        get(
            fleet,
            s -> s.getAutoscaling(),
            AutoscalingSpec::getScrapeIntervalSeconds,
            DEFAULT_SCRAPE_INTERVAL_SECONDS));
  }

  public static int drainRatePerSecond(WebSocketFleet fleet) {
    return get(
        fleet,
        s -> s.getDrain(),
        DrainSpec::getReconnectRatePerSecond,
        DEFAULT_RECONNECT_RATE_PER_SECOND);
  }

  public static int drainTimeoutSeconds(WebSocketFleet fleet) {
    return get(
        fleet, s -> s.getDrain(), DrainSpec::getTimeoutSeconds, DEFAULT_DRAIN_TIMEOUT_SECONDS);
  }

  public static int reconnectDelayMaxMillis(WebSocketFleet fleet) {
    return get(
        fleet,
        s -> s.getDrain(),
        DrainSpec::getReconnectDelayMaxMillis,
        DEFAULT_RECONNECT_DELAY_MAX_MILLIS);
  }

  public static int maxSurge(WebSocketFleet fleet) {
    return get(fleet, s -> s.getRollout(), RolloutSpec::getMaxSurge, DEFAULT_MAX_SURGE);
  }

  public static int minReadySeconds(WebSocketFleet fleet) {
    return get(
        fleet, s -> s.getRollout(), RolloutSpec::getMinReadySeconds, DEFAULT_MIN_READY_SECONDS);
  }

  public static int progressDeadlineSeconds(WebSocketFleet fleet) {
    return get(
        fleet,
        s -> s.getRollout(),
        RolloutSpec::getProgressDeadlineSeconds,
        DEFAULT_PROGRESS_DEADLINE_SECONDS);
  }

  public static int replaceUnreadyAfterSeconds(WebSocketFleet fleet) {
    return get(
        fleet,
        s -> s.getCapacity(),
        CapacitySpec::getReplaceUnreadyAfterSeconds,
        DEFAULT_REPLACE_UNREADY_AFTER_SECONDS);
  }

  public static int maxConcurrentDrains(WebSocketFleet fleet) {
    return get(
        fleet, s -> s.getDrain(), DrainSpec::getMaxConcurrent, DEFAULT_MAX_CONCURRENT_DRAINS);
  }

  public static int maxUnavailable(WebSocketFleet fleet) {
    return get(
        fleet, s -> s.getDisruption(), DisruptionSpec::getMaxUnavailable, DEFAULT_MAX_UNAVAILABLE);
  }

  private static <T> int get(
      WebSocketFleet fleet,
      Function<WebSocketFleetSpec, T> part,
      Function<T, Integer> field,
      int fallback) {
    return Optional.ofNullable(fleet.getSpec()).map(part).map(field).orElse(fallback);
  }
}
