package io.wsfleet.operator.policy;

import io.wsfleet.operator.policy.ScalingDecision.Reason;
import java.time.Instant;
import java.util.List;

/**
 * The autoscaling policy: a pure function from settings, observed pods, memory and the time to a
 * decision, after Kubernetes HPA behaviour rules, Knative's panic mode and Agones' fleet
 * autoscaler.
 */
public final class ScalingPolicy {

  private ScalingPolicy() {}

  /**
   * Decides how many pods should serve and which leave.
   *
   * <p>Manual mode ({@code enabled == false}) drains all excess pods at once: a human or an
   * external autoscaler asked for that count and paces its own changes, and every drain is already
   * rate-limited per pod. Manual mode forgets the autoscaling memory, so turning autoscaling back
   * on waits out a full scale-down window.
   *
   * <p>Autoscaling: the floor is minReplicas, reached at once even beyond the scale-up step; pods
   * above maxReplicas are drained at the scale-down step. With no serving pod at all, the need is
   * applied at once (no window, no step): nobody is there to serve the clients. Panic mode grows
   * the fleet to the full need at once (no window, no step, still at most maxReplicas) and never
   * shrinks it.
   */
  public static ScalingDecision decide(
      ScalingSettings s, List<PodLoad> pods, ScalingMemory memory, Instant now) {
    FleetLoad load = FleetLoad.of(pods);
    return s.enabled() ? autoscale(s, load, memory, now) : manual(s, load);
  }

  private static ScalingDecision manual(ScalingSettings s, FleetLoad load) {
    int current = load.servingCount();
    int desired = s.replicas();
    List<String> drain = DrainOrder.pick(load.serving(), s.podSelection(), current - desired);
    String message = DecisionText.manual(current, desired);
    return new ScalingDecision(
        desired, current, Reason.MANUAL, message, false, drain, List.of(), ScalingMemory.empty());
  }

  private static ScalingDecision autoscale(
      ScalingSettings s, FleetLoad load, ScalingMemory memory, Instant now) {
    int current = load.servingCount();
    int up = need(load.demandMissingAsEmpty(), current, s);
    int down = need(load.demandMissingAsFull(s.maxPerPod()), current, s);
    // Grow on what we can see; shrink only if even unseen pods counted as full allow it.
    int raw = up > current ? up : Math.min(down, current);
    int rec = Math.max(s.minReplicas(), Math.min(raw, s.maxReplicas()));
    PanicState panic = PanicState.evaluate(s, load, memory.panicUntil(), now);
    // As HPA does: with no history, the current count is the first recommendation, so a
    // restarted operator waits out the scale-down window instead of shrinking at once.
    ScalingMemory history =
        memory.recommendations().isEmpty()
            ? new ScalingMemory(List.of(new Recommendation(now, current)), memory.panicUntil())
            : memory;
    int desired = desired(s, current, rec, panic.active(), history, now);
    Reason reason = reason(s, current, raw, rec, desired, panic.active());
    List<String> drain =
        desired < current
            ? DrainOrder.pick(load.serving(), s.podSelection(), current - desired)
            : List.of();
    List<PartialDrain> rebalance =
        s.rebalanceEnabled() && desired >= current
            ? Rebalance.plan(load.serving(), s.rebalanceThresholdPercent(), desired - current)
            : List.of();
    ScalingMemory next =
        history.record(new Recommendation(now, rec), s.longestWindow(), panic.until());
    String message = DecisionText.autoscaled(s, load, raw, desired, reason, panic, rebalance);
    return new ScalingDecision(
        desired, current, reason, message, panic.active(), drain, rebalance, next);
  }

  /** ceil(demand / target), or the current count when the load is within tolerance. */
  static int need(long demand, int current, ScalingSettings s) {
    long capacity = (long) current * s.targetPerPod();
    if (current > 0
        && Math.abs(demand - capacity) * 100 <= (long) s.tolerancePercent() * capacity) {
      return current;
    }
    long pods = (demand + s.targetPerPod() - 1) / s.targetPerPod();
    return (int) Math.min(pods, Integer.MAX_VALUE);
  }

  private static int desired(
      ScalingSettings s,
      int current,
      int rec,
      boolean panicking,
      ScalingMemory history,
      Instant now) {
    if (current == 0) {
      return rec;
    }
    if (panicking) {
      return Math.max(current, rec);
    }
    int lowest = history.lowestWithin(s.upWindow(), now, rec);
    int highest = history.highestWithin(s.downWindow(), now, rec);
    int stabilized = Math.min(Math.max(current, lowest), highest);
    stabilized = Math.max(s.minReplicas(), Math.min(stabilized, s.maxReplicas()));
    if (stabilized > current) {
      return Math.max(s.minReplicas(), Math.min(stabilized, current + s.upMaxPodsPerStep()));
    }
    return Math.max(stabilized, current - s.downMaxPodsPerStep());
  }

  private static Reason reason(
      ScalingSettings s, int current, int raw, int rec, int desired, boolean panicking) {
    if (desired > current && panicking) {
      return Reason.PANIC;
    } else if (raw > s.maxReplicas() && desired == s.maxReplicas()) {
      return Reason.AT_MAX;
    } else if (raw < s.minReplicas() && desired == s.minReplicas()) {
      return Reason.AT_MIN;
    } else if (desired != current) {
      return desired > current ? Reason.SCALE_UP : Reason.SCALE_DOWN;
    } else if (panicking && rec < current) {
      return Reason.PANIC;
    }
    return rec != current ? Reason.WAITING_FOR_WINDOW : Reason.STEADY;
  }
}
