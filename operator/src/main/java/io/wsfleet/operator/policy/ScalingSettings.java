package io.wsfleet.operator.policy;

import io.wsfleet.operator.api.AutoscalingSpec;
import io.wsfleet.operator.api.CapacitySpec;
import io.wsfleet.operator.api.DrainSpec;
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
   * Reads a spec whose fields may be null (built in code, not defaulted by the API server); the
   * defaults here must match the {@code @Default} annotations of the API types.
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
        or(auto.getEnabled(), false),
        or(fleet.getReplicas(), 1),
        or(auto.getMinReplicas(), 1),
        or(auto.getMaxReplicas(), 10),
        or(auto.getTargetConnectionsPerPod(), 7000),
        or(cap.getMaxConnectionsPerPod(), 10000),
        or(auto.getTolerancePercent(), 10),
        Duration.ofSeconds(or(up.getStabilizationWindowSeconds(), 0)),
        or(up.getMaxPodsPerStep(), 4),
        Duration.ofSeconds(or(up.getPeriodSeconds(), 15)),
        Duration.ofSeconds(or(down.getStabilizationWindowSeconds(), 300)),
        or(down.getMaxPodsPerStep(), 1),
        Duration.ofSeconds(or(down.getPeriodSeconds(), 60)),
        or(drain.getMaxConcurrent(), 2),
        or(panic.getCapThresholdPercent(), 90),
        or(panic.getTargetThresholdPercent(), 200),
        Duration.ofSeconds(or(panic.getWindowSeconds(), 60)),
        or(rebalance.getEnabled(), true),
        or(rebalance.getThresholdPercent(), 150),
        or(drain.getPodSelection(), DrainSpec.PodSelection.FewestConnections));
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
