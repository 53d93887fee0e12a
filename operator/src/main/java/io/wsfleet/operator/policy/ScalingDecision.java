package io.wsfleet.operator.policy;

import java.util.List;

/**
 * What the policy decided for a fleet.
 *
 * @param desiredServing serving pods the fleet should have
 * @param currentServing serving pods it has
 * @param message the decision in words, with its numbers, for events, status and logs
 * @param podsToDrain serving pods that leave, in order, when shrinking
 * @param rebalance partial drains of hot pods
 * @param memory to pass to the next decision
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

  /** Why the fleet has the size it has. */
  public enum Reason {
    STEADY,
    SCALE_UP,
    SCALE_DOWN,
    PANIC,
    WAITING_FOR_WINDOW,
    AT_MIN,
    AT_MAX,
    MANUAL
  }
}
