package io.wsfleet.operator.policy;

import io.wsfleet.operator.policy.ScalingDecision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The autoscaling policy, a pure function: desired = ceil(connections / target) within a tolerance,
 * clamped to [min, max]; growth is immediate by default and limited per step, shrinking waits out a
 * window (highest recommendation wins) and drains few pods per step; panic mode (Knative's KPA)
 * grows at once and blocks shrinking. Missing metrics follow HPA: empty when growing, full when
 * shrinking.
 */
public final class ScalingPolicy {

  private ScalingPolicy() {}

  public static ScalingDecision decide(
      ScalingSettings s, List<PodLoad> pods, ScalingMemory memory, Instant now) {
    List<PodLoad> serving = pods.stream().filter(p -> !p.draining()).toList();
    int current = serving.size();
    Instant since = memory.observingSince() == null ? now : memory.observingSince();
    if (!s.enabled()) {
      return manual(s, serving, new ScalingMemory(List.of(), since, Instant.EPOCH));
    }
    Load load = Load.of(serving, s.maxPerPod());
    int wanted = recommendation(s, load, current);
    int clamped = Math.max(s.minReplicas(), Math.min(s.maxReplicas(), wanted));

    boolean triggered = panicTriggered(s, serving, load, current);
    Instant panicUntil = triggered ? now.plus(s.panicWindow()) : memory.panicUntil();
    boolean panicking = now.isBefore(panicUntil);

    List<Recommendation> history = new ArrayList<>();
    Duration keep = s.upWindow().compareTo(s.downWindow()) > 0 ? s.upWindow() : s.downWindow();
    memory.recommendations().stream()
        .filter(r -> !r.at().isBefore(now.minus(keep)))
        .forEach(history::add);
    history.add(new Recommendation(now, clamped));
    ScalingMemory next = new ScalingMemory(history, since, panicUntil);

    String need =
        String.format(
                "%,d connections on %d serving pods (target %,d/pod) need %d",
                load.known(), current, s.targetPerPod(), wanted)
            + (clamped != wanted
                ? String.format(
                    " (kept within minReplicas %d and maxReplicas %d)",
                    s.minReplicas(), s.maxReplicas())
                : "");
    if (clamped > current) {
      return grow(s, serving, load, current, clamped, panicking, history, now, next, need);
    }
    if (clamped < current) {
      return shrink(s, serving, current, clamped, panicking, history, since, now, next, need);
    }
    Reason reason =
        wanted > clamped ? Reason.AT_MAX : wanted < clamped ? Reason.AT_MIN : Reason.STEADY;
    List<PartialDrain> rebalance =
        s.rebalanceEnabled()
            ? Rebalancing.plan(serving, current, s.rebalanceThresholdPercent())
            : List.of();
    return new ScalingDecision(
        current,
        current,
        reason,
        need + "; keeping " + current,
        panicking,
        List.of(),
        rebalance,
        next);
  }

  private static ScalingDecision grow(
      ScalingSettings s,
      List<PodLoad> serving,
      Load load,
      int current,
      int clamped,
      boolean panicking,
      List<Recommendation> history,
      Instant now,
      ScalingMemory next,
      String need) {
    int desired;
    Reason reason;
    if (panicking) {
      // A pod near its cap refuses clients now: go straight to what is needed.
      desired = clamped;
      reason = Reason.PANIC;
    } else {
      int lowest = lowestSince(history, now.minus(s.upWindow()));
      if (lowest <= current) {
        return hold(
            current,
            Reason.WAITING_FOR_WINDOW,
            need + "; waiting out the scale-up window",
            panicking,
            next);
      }
      desired = Math.min(lowest, current + s.upMaxPodsPerStep());
      reason = Reason.SCALE_UP;
    }
    List<PartialDrain> rebalance =
        s.rebalanceEnabled()
            ? Rebalancing.plan(serving, desired, s.rebalanceThresholdPercent())
            : List.of();
    String message = need + "; adding " + (desired - current) + (panicking ? " (panic mode)" : "");
    return new ScalingDecision(
        desired, current, reason, message, panicking, List.of(), rebalance, next);
  }

  private static ScalingDecision shrink(
      ScalingSettings s,
      List<PodLoad> serving,
      int current,
      int clamped,
      boolean panicking,
      List<Recommendation> history,
      Instant since,
      Instant now,
      ScalingMemory next,
      String need) {
    if (panicking) {
      return hold(current, Reason.PANIC, need + "; not shrinking while in panic mode", true, next);
    }
    Instant windowStart = now.minus(s.downWindow());
    int highest =
        history.stream()
            .filter(r -> !r.at().isBefore(windowStart))
            .mapToInt(Recommendation::replicas)
            .max()
            .orElse(current);
    // Until a whole window has been watched (a new fleet, a restarted operator) nobody knows the
    // highest recommendation in it.
    if (highest >= current || since.isAfter(windowStart)) {
      return hold(
          current,
          Reason.WAITING_FOR_WINDOW,
          need + "; waiting out the scale-down window",
          false,
          next);
    }
    int desired = Math.max(highest, current - s.downMaxPodsPerStep());
    List<String> leaving = PodChoice.leaving(serving, current - desired, s.podSelection());
    return new ScalingDecision(
        desired,
        current,
        Reason.SCALE_DOWN,
        need + "; draining " + leaving,
        false,
        leaving,
        List.of(),
        next);
  }

  /** Manual mode: spec.replicas rules, and every excess pod is drained at once (a human asked). */
  private static ScalingDecision manual(
      ScalingSettings s, List<PodLoad> serving, ScalingMemory next) {
    int current = serving.size();
    int desired = s.replicas();
    List<String> leaving =
        desired < current
            ? PodChoice.leaving(serving, current - desired, s.podSelection())
            : List.of();
    String message =
        String.format(
            "spec.replicas is %d with %d serving pods (autoscaling disabled)", desired, current);
    return new ScalingDecision(
        desired, current, Reason.MANUAL, message, false, leaving, List.of(), next);
  }

  private static ScalingDecision hold(
      int current, Reason reason, String message, boolean panicking, ScalingMemory next) {
    return new ScalingDecision(
        current, current, reason, message, panicking, List.of(), List.of(), next);
  }

  /**
   * ceil(total / target), or the current count when the load is within the tolerance of it. Growth
   * counts missing pods as empty; shrinking counts them as full, so it only happens if even then
   * the fleet is too big.
   */
  private static int recommendation(ScalingSettings s, Load load, int current) {
    int up = tolerant(load.known(), current, s);
    if (up > current || current == 0) {
      return up;
    }
    return Math.min(
        current,
        Math.max(up, tolerant(load.known() + load.missing() * (long) s.maxPerPod(), current, s)));
  }

  private static int tolerant(long total, int current, ScalingSettings s) {
    if (current > 0) {
      double ratio = (double) total / ((double) current * s.targetPerPod());
      if (Math.abs(ratio - 1.0) * 100 <= s.tolerancePercent()) {
        return current;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, (total + s.targetPerPod() - 1) / s.targetPerPod());
  }

  private static boolean panicTriggered(
      ScalingSettings s, List<PodLoad> serving, Load load, int current) {
    boolean nearCap =
        serving.stream()
            .anyMatch(
                p ->
                    p.connections().isPresent()
                        && p.connections().getAsLong() * 100
                            >= (long) s.panicCapPercent() * s.maxPerPod());
    boolean farAboveTarget =
        current > 0
            && load.known() * 100 >= (long) s.panicTargetPercent() * s.targetPerPod() * current;
    return nearCap || farAboveTarget;
  }

  private static int lowestSince(List<Recommendation> history, Instant start) {
    return history.stream()
        .filter(r -> !r.at().isBefore(start))
        .mapToInt(Recommendation::replicas)
        .min()
        .orElse(0);
  }

  /** Known connections and the number of pods whose metrics are missing. */
  private record Load(long known, int missing) {
    static Load of(List<PodLoad> serving, int maxPerPod) {
      long known = serving.stream().mapToLong(p -> p.connections().orElse(0)).sum();
      int missing = (int) serving.stream().filter(p -> p.connections().isEmpty()).count();
      return new Load(known, missing);
    }
  }
}
