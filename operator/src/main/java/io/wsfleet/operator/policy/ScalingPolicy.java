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
   * <p>Manual mode ({@code enabled == false}) drains the excess pods as fast as drain.maxConcurrent
   * allows: a human or an external autoscaler asked for that count and paces its own changes, and
   * the concurrency limit bounds the fleet's reconnect rate. Manual mode forgets the autoscaling
   * memory, so turning autoscaling back on waits out a full scale-down window.
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
    int room = s.maxConcurrentDrains() - load.drainingPods();
    List<String> drain =
        DrainOrder.pick(load.serving(), s.podSelection(), Math.min(current - desired, room));
    String message = DecisionText.manual(current, desired);
    return new ScalingDecision(
        desired, current, Reason.MANUAL, message, false, drain, List.of(), ScalingMemory.empty());
  }

  private static ScalingDecision autoscale(
      ScalingSettings s, FleetLoad load, ScalingMemory memory, Instant now) {
    int current = load.servingCount();
    int usable = load.usableCount();
    // Growth is measured against the pods that can carry clients (HPA counts ready pods only):
    // a crash-looping pod is no capacity, and the fleet grows by what the others cannot carry.
    int up = need(load.demandMissingAsEmpty(), usable, s);
    int down = need(load.demandMissingAsFull(s.maxPerPod()), current, s);
    // Grow on what we can see; shrink only if even unseen pods counted as full allow it.
    int raw = up > usable ? current + (up - usable) : Math.min(down, current);
    int rec = Math.max(s.minReplicas(), Math.min(raw, s.maxReplicas()));
    PanicState panic = PanicState.evaluate(s, load, memory.panicUntil(), now);
    // As HPA does: with no history, the current count is the first recommendation, so a
    // restarted operator waits out the scale-down window instead of shrinking at once.
    ScalingMemory history =
        memory.recommendations().isEmpty()
            ? new ScalingMemory(
                List.of(new Recommendation(now, current)), memory.steps(), memory.panicUntil())
            : memory;
    int desired = desired(s, load, rec, panic.active(), history, now);
    Reason reason = reason(s, current, raw, rec, desired, panic.active(), history, load, now);
    List<String> drain =
        desired < current
            ? DrainOrder.pick(load.serving(), s.podSelection(), current - desired)
            : List.of();
    List<PartialDrain> rebalance =
        s.rebalanceEnabled() && desired >= current
            ? Rebalance.plan(load.serving(), s.rebalanceThresholdPercent(), desired - current)
            : List.of();
    ScalingMemory next =
        history.record(
            new Recommendation(now, rec), desired - current, s.longestWindow(), panic.until());
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
      FleetLoad load,
      int rec,
      boolean panicking,
      ScalingMemory history,
      Instant now) {
    int current = load.servingCount();
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
      int step = Math.max(0, s.upMaxPodsPerStep() - history.addedWithin(s.upPeriod(), now));
      return Math.max(s.minReplicas(), Math.min(stabilized, current + step));
    }
    return Math.max(stabilized, current - downStep(s, load, history, now));
  }

  /**
   * Pods that may start draining now: what the period's step allows, and no more than fit beside
   * the drains in flight, so that a window ending cannot start a dozen drains at once.
   */
  private static int downStep(
      ScalingSettings s, FleetLoad load, ScalingMemory history, Instant now) {
    int period = s.downMaxPodsPerStep() - history.drainedWithin(s.downPeriod(), now);
    int concurrent = s.maxConcurrentDrains() - load.drainingPods();
    return Math.max(0, Math.min(period, concurrent));
  }

  private static Reason reason(
      ScalingSettings s,
      int current,
      int raw,
      int rec,
      int desired,
      boolean panicking,
      ScalingMemory history,
      FleetLoad load,
      Instant now) {
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
    if (rec == current) {
      return Reason.STEADY;
    }
    boolean stepSpent =
        rec > current
            ? history.addedWithin(s.upPeriod(), now) >= s.upMaxPodsPerStep()
            : downStep(s, load, history, now) == 0;
    int lowest = history.lowestWithin(s.upWindow(), now, rec);
    int highest = history.highestWithin(s.downWindow(), now, rec);
    boolean windowHolds = rec > current ? lowest <= current : highest >= current;
    return stepSpent && !windowHolds ? Reason.STEP_LIMIT : Reason.WAITING_FOR_WINDOW;
  }
}
