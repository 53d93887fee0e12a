package io.wsfleet.operator.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The spec's values with the schema defaults applied, for code that reads a fleet built in Java
 * (tests, an API server that has not defaulted yet) as well as one read from the cluster.
 */
public final class FleetSettings {

  /**
   * The ws-node image a fleet runs unless {@code spec.template.image} says otherwise: the one this
   * build makes, {@code wsfleet/ws-node:<project version>} (ImageNamesTest keeps them equal).
   */
  public static final String DEFAULT_IMAGE = "wsfleet/ws-node:0.1.0";

  private FleetSettings() {}

  public static int clientPort(WebSocketFleet fleet) {
    return get(fleet, s -> s.getTemplate(), FleetPodTemplate::getClientPort, 8080);
  }

  public static int adminPort(WebSocketFleet fleet) {
    return get(fleet, s -> s.getTemplate(), FleetPodTemplate::getAdminPort, 9090);
  }

  public static int maxConnectionsPerPod(WebSocketFleet fleet) {
    return get(fleet, s -> s.getCapacity(), CapacitySpec::getMaxConnectionsPerPod, 10_000);
  }

  public static Duration scrapeInterval(WebSocketFleet fleet) {
    return Duration.ofSeconds(
        get(fleet, s -> s.getAutoscaling(), AutoscalingSpec::getScrapeIntervalSeconds, 5));
  }

  public static int drainRatePerSecond(WebSocketFleet fleet) {
    return get(fleet, s -> s.getDrain(), DrainSpec::getReconnectRatePerSecond, 100);
  }

  public static int drainTimeoutSeconds(WebSocketFleet fleet) {
    return get(fleet, s -> s.getDrain(), DrainSpec::getTimeoutSeconds, 300);
  }

  public static int reconnectDelayMaxMillis(WebSocketFleet fleet) {
    return get(fleet, s -> s.getDrain(), DrainSpec::getReconnectDelayMaxMillis, 5000);
  }

  public static int maxSurge(WebSocketFleet fleet) {
    return get(fleet, s -> s.getRollout(), RolloutSpec::getMaxSurge, 1);
  }

  public static int minReadySeconds(WebSocketFleet fleet) {
    return get(fleet, s -> s.getRollout(), RolloutSpec::getMinReadySeconds, 10);
  }

  public static int progressDeadlineSeconds(WebSocketFleet fleet) {
    return get(fleet, s -> s.getRollout(), RolloutSpec::getProgressDeadlineSeconds, 600);
  }

  public static int replaceUnreadyAfterSeconds(WebSocketFleet fleet) {
    return get(fleet, s -> s.getCapacity(), CapacitySpec::getReplaceUnreadyAfterSeconds, 300);
  }

  public static int maxConcurrentDrains(WebSocketFleet fleet) {
    return get(fleet, s -> s.getDrain(), DrainSpec::getMaxConcurrent, 2);
  }

  public static int maxUnavailable(WebSocketFleet fleet) {
    return get(fleet, s -> s.getDisruption(), DisruptionSpec::getMaxUnavailable, 1);
  }

  private static <T> int get(
      WebSocketFleet fleet,
      Function<WebSocketFleetSpec, T> part,
      Function<T, Integer> field,
      int fallback) {
    return Optional.ofNullable(fleet.getSpec()).map(part).map(field).orElse(fallback);
  }
}
