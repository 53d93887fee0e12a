package io.wsfleet.operator.policy;

import io.wsfleet.operator.api.AutoscalingSpec;
import io.wsfleet.operator.api.CapacitySpec;
import io.wsfleet.operator.api.DrainSpec;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.PanicSpec;
import io.wsfleet.operator.api.RebalanceSpec;
import io.wsfleet.operator.api.ScaleDownRules;
import io.wsfleet.operator.api.ScaleUpRules;
import io.wsfleet.operator.api.WebSocketFleetSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The fleet spec's scaling fields, flattened, with the CRD schema defaults filled in. */
public record ScalingSettings(
    boolean enabled,
    int replicas,
    int minReplicas,
    int maxReplicas,
    int targetPerPod,
    int maxPerPod,
    int tolerancePercent,
    Duration upWindow,
    int upMaxPodsPerStep,
    Duration upPeriod,
    Duration downWindow,
    int downMaxPodsPerStep,
    Duration downPeriod,
    int maxConcurrentDrains,
    int panicCapPercent,
    int panicTargetPercent,
    Duration panicWindow,
    boolean rebalanceEnabled,
    int rebalanceThresholdPercent,
    DrainSpec.PodSelection podSelection) {

  public ScalingSettings {
    Objects.requireNonNull(upWindow, "upWindow");
    Objects.requireNonNull(downWindow, "downWindow");
    Objects.requireNonNull(upPeriod, "upPeriod");
    Objects.requireNonNull(downPeriod, "downPeriod");
    Objects.requireNonNull(panicWindow, "panicWindow");
    Objects.requireNonNull(podSelection, "podSelection");
    // The CRD refuses these already; a spec built in code must not divide by zero or loop.
    if (targetPerPod < 1
        || maxPerPod < 1
        || upMaxPodsPerStep < 1
        || downMaxPodsPerStep < 1
        || maxConcurrentDrains < 1) {
      throw new IllegalArgumentException("per-pod targets, caps and step limits must be >= 1");
    }
    if (minReplicas < 0 || minReplicas > maxReplicas) {
      throw new IllegalArgumentException("need 0 <= minReplicas <= maxReplicas");
    }
  }

  /**
   * Reads a spec whose fields may be null (built in code, not defaulted by the API server), with
   * the defaults of {@link FleetSettings}, which the CRD's also come from.
   */
  public static ScalingSettings from(WebSocketFleetSpec spec) {
    WebSocketFleetSpec fleet = spec != null ? spec : new WebSocketFleetSpec();
    CapacitySpec cap = or(fleet.getCapacity(), new CapacitySpec());
    AutoscalingSpec auto = or(fleet.getAutoscaling(), new AutoscalingSpec());
    ScaleUpRules up = or(auto.getScaleUp(), new ScaleUpRules());
    ScaleDownRules down = or(auto.getScaleDown(), new ScaleDownRules());
    PanicSpec panic = or(auto.getPanic(), new PanicSpec());
    RebalanceSpec rebalance = or(auto.getRebalance(), new RebalanceSpec());
    DrainSpec drain = or(fleet.getDrain(), new DrainSpec());
    return new ScalingSettings(
        or(auto.getEnabled(), FleetSettings.DEFAULT_AUTOSCALING_ENABLED),
        or(fleet.getReplicas(), FleetSettings.DEFAULT_REPLICAS),
        or(auto.getMinReplicas(), FleetSettings.DEFAULT_MIN_REPLICAS),
        or(auto.getMaxReplicas(), FleetSettings.DEFAULT_MAX_REPLICAS),
        or(auto.getTargetConnectionsPerPod(), FleetSettings.DEFAULT_TARGET_CONNECTIONS_PER_POD),
        or(cap.getMaxConnectionsPerPod(), FleetSettings.DEFAULT_MAX_CONNECTIONS_PER_POD),
        or(auto.getTolerancePercent(), FleetSettings.DEFAULT_TOLERANCE_PERCENT),
        Duration.ofSeconds(
            or(up.getStabilizationWindowSeconds(), FleetSettings.DEFAULT_SCALE_UP_WINDOW_SECONDS)),
        or(up.getMaxPodsPerStep(), FleetSettings.DEFAULT_SCALE_UP_MAX_PODS_PER_STEP),
        Duration.ofSeconds(
            or(up.getPeriodSeconds(), FleetSettings.DEFAULT_SCALE_UP_PERIOD_SECONDS)),
        Duration.ofSeconds(
            or(
                down.getStabilizationWindowSeconds(),
                FleetSettings.DEFAULT_SCALE_DOWN_WINDOW_SECONDS)),
        or(down.getMaxPodsPerStep(), FleetSettings.DEFAULT_SCALE_DOWN_MAX_PODS_PER_STEP),
        Duration.ofSeconds(
            or(down.getPeriodSeconds(), FleetSettings.DEFAULT_SCALE_DOWN_PERIOD_SECONDS)),
        or(drain.getMaxConcurrent(), FleetSettings.DEFAULT_MAX_CONCURRENT_DRAINS),
        or(panic.getCapThresholdPercent(), FleetSettings.DEFAULT_PANIC_CAP_THRESHOLD_PERCENT),
        or(panic.getTargetThresholdPercent(), FleetSettings.DEFAULT_PANIC_TARGET_THRESHOLD_PERCENT),
        Duration.ofSeconds(
            or(panic.getWindowSeconds(), FleetSettings.DEFAULT_PANIC_WINDOW_SECONDS)),
        or(rebalance.getEnabled(), FleetSettings.DEFAULT_REBALANCE_ENABLED),
        or(rebalance.getThresholdPercent(), FleetSettings.DEFAULT_REBALANCE_THRESHOLD_PERCENT),
        or(
            drain.getPodSelection(),
            DrainSpec.PodSelection.valueOf(FleetSettings.DEFAULT_POD_SELECTION)));
  }

  /** The longest stretch of history a stabilization window or a step period can look back on. */
  Duration longestWindow() {
    Duration longest = upWindow;
    for (Duration d : List.of(downWindow, upPeriod, downPeriod)) {
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    return longest;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
