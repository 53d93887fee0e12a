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
import java.util.Optional;

/** The spec's scaling knobs with the CRD's defaults applied where a field is unset. */
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
    Duration downWindow,
    int downMaxPodsPerStep,
    int panicCapPercent,
    int panicTargetPercent,
    Duration panicWindow,
    boolean rebalanceEnabled,
    int rebalanceThresholdPercent,
    DrainSpec.PodSelection podSelection) {

  /** Reads a spec; the defaults here are the CRD schema's. */
  public static ScalingSettings from(WebSocketFleetSpec spec) {
    WebSocketFleetSpec s = spec == null ? new WebSocketFleetSpec() : spec;
    AutoscalingSpec a = or(s.getAutoscaling(), new AutoscalingSpec());
    ScaleUpRules up = or(a.getScaleUp(), new ScaleUpRules());
    ScaleDownRules down = or(a.getScaleDown(), new ScaleDownRules());
    PanicSpec panic = or(a.getPanic(), new PanicSpec());
    RebalanceSpec rebalance = or(a.getRebalance(), new RebalanceSpec());
    DrainSpec drain = or(s.getDrain(), new DrainSpec());
    CapacitySpec capacity = or(s.getCapacity(), new CapacitySpec());
    return new ScalingSettings(
        or(a.getEnabled(), false),
        or(s.getReplicas(), 1),
        or(a.getMinReplicas(), 1),
        or(a.getMaxReplicas(), 10),
        or(a.getTargetConnectionsPerPod(), 7000),
        or(capacity.getMaxConnectionsPerPod(), 10_000),
        or(a.getTolerancePercent(), 10),
        Duration.ofSeconds(or(up.getStabilizationWindowSeconds(), 0)),
        or(up.getMaxPodsPerStep(), 4),
        Duration.ofSeconds(or(down.getStabilizationWindowSeconds(), 300)),
        or(down.getMaxPodsPerStep(), 1),
        or(panic.getCapThresholdPercent(), 90),
        or(panic.getTargetThresholdPercent(), 200),
        Duration.ofSeconds(or(panic.getWindowSeconds(), 60)),
        or(rebalance.getEnabled(), true),
        or(rebalance.getThresholdPercent(), 150),
        or(drain.getPodSelection(), DrainSpec.PodSelection.FewestConnections));
  }

  private static <T> T or(T value, T fallback) {
    return Optional.ofNullable(value).orElse(fallback);
  }
}
