package io.wsfleet.operator.policy;

import java.util.List;
import java.util.Objects;

/**
 * What the fleet should look like after this reconcile, why, and the memory to hand back to the
 * next decision.
 *
 * @param desiredServing serving pods wanted; the reconciler adds pods or drains {@code podsToDrain}
 *     to get there
 * @param currentServing serving (not draining) pods seen in the input
 * @param podsToDrain serving pods to drain now, first to leave first; empty unless scaling down
 * @param rebalance partial drains of hot pods; empty while scaling down or in manual mode
 */
public record ScalingDecision(
    int desiredServing,
    int currentServing,
    Reason reason,
    String message,
    boolean panicking,
    List<String> podsToDrain,
    List<PartialDrain> rebalance,
    ScalingMemory memory) {

  public ScalingDecision {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(memory, "memory");
    podsToDrain = List.copyOf(podsToDrain);
    rebalance = List.copyOf(rebalance);
  }

  /** Why the decision came out as it did; suitable as a condition reason. */
  public enum Reason {
    /** The load is within tolerance of the target, or already matches the pod count. */
    STEADY,
    SCALE_UP,
    SCALE_DOWN,
    /** Panic mode grew the fleet, or is holding back a scale-down. */
    PANIC,
    /** The load calls for a change but the stabilization window holds it back. */
    WAITING_FOR_WINDOW,
    /** The window allows a change but this period's step, or the drains in flight, are used up. */
    STEP_LIMIT,
    /** The load would want fewer pods than minReplicas. */
    AT_MIN,
    /** The load would want more pods than maxReplicas. */
    AT_MAX,
    /** Autoscaling is off; spec.replicas decides. */
    MANUAL
  }
}
