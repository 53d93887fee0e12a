package io.wsfleet.operator.plan;

import io.wsfleet.operator.plan.PodPlan.Create;
import io.wsfleet.operator.plan.PodPlan.Drain;
import io.wsfleet.operator.plan.PodPlan.Rebalance;
import io.wsfleet.operator.plan.PodPlan.Removal;
import io.wsfleet.operator.policy.PartialDrain;
import io.wsfleet.operator.policy.PodLoad;
import io.wsfleet.operator.policy.ScalingDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Decides what to do to which pod in one pass: replace finished and long-unready pods, follow the
 * scaling decision, or roll out and rebalance when the size is right. Pure: pods, settings, the
 * decision and {@code now} in, a plan out; {@code PlanExecutor} carries it out.
 */
public final class PodPlanner {

  private PodPlanner() {}

  /** The policy's view of the pods: counted pods serve, draining pods still hold clients. */
  public static List<PodLoad> loads(PodGroups groups, PlanSettings s, Instant now) {
    List<PodLoad> loads = new ArrayList<>();
    for (PodView pod : groups.counted()) {
      PodLoad load = new PodLoad(pod.name(), connections(pod), false, pod.createdAt());
      load = capacityProblem(pod, s, now) == null ? load : load.unavailable();
      loads.add(pod.templateHash().equals(s.templateHash()) ? load : load.asOutdated());
    }
    groups
        .draining()
        .forEach(p -> loads.add(new PodLoad(p.name(), connections(p), true, p.createdAt())));
    return loads;
  }

  /** The plan for one pass. */
  public static PodPlan plan(
      PlanSettings s, PodGroups groups, ScalingDecision decision, boolean token, Instant now) {
    Builder plan = new Builder(groups);
    groups.finished().forEach(p -> plan.remove(p.name(), PodPlan.FINISHED));
    for (PodView r : groups.replacements()) {
      // A replacement from a template that moved on will never be wanted: start over from now.
      if (!r.templateHash().equals(s.templateHash()) && !r.ready()) {
        plan.remove(r.name(), PodPlan.SUPERSEDED);
      }
    }
    int unready = 0;
    for (PodView p : groups.counted()) {
      if (longUnready(p, s, now)) {
        unready++;
        if (p.restarts() > 0 || p.scrapeFailing() || !p.hasIp()) {
          // A restarted or unreachable server holds no clients to hand over.
          plan.remove(p.name(), PodPlan.UNREADY);
        } else {
          plan.drain(p.name(), PodPlan.UNREADY);
        }
      }
    }
    int counted = groups.counted().size() - unready;
    if (decision.desiredServing() > counted) {
      for (int i = counted; i < decision.desiredServing(); i++) {
        // The first ones stand in for the unready pods leaving; the rest grow the fleet.
        boolean replacing = i - counted < unready;
        plan.creates.add(new Create(null, replacing ? PodPlan.UNREADY : PodPlan.SCALE_UP));
      }
    } else if (decision.desiredServing() < groups.counted().size()) {
      for (String leaving : decision.podsToDrain()) {
        plan.drain(leaving, PodPlan.SCALE_DOWN);
        // Its replacement would take its place in the count: it leaves with it.
        groups
            .replacementOf(leaving)
            .filter(r -> !plan.removed(r.name()))
            .ifPresent(r -> plan.drain(r.name(), PodPlan.SCALE_DOWN));
      }
    } else if (unready == 0) {
      roll(s, groups, plan, now);
      if (token && plan.creates.isEmpty() && plan.drains.isEmpty()) {
        rebalance(s, groups, decision, plan, now);
      }
    }
    for (PodView p : groups.serving()) {
      if (!p.metadataHash().equals(s.metadataHash()) && !plan.removed(p.name())) {
        plan.relabels.add(p.name());
      }
    }
    for (PodView p : groups.draining()) {
      if (!p.metadataHash().equals(s.metadataHash())) {
        plan.relabels.add(p.name());
      }
    }
    for (PodView r : groups.replacements()) {
      if (!r.availableFor(s.minReady(), now)
          && !r.createdAt().plus(s.progressDeadline()).isAfter(now)
          && !plan.removed(r.name())) {
        plan.stalled.add(r.name() + " (" + why(r) + ")");
      }
    }
    for (PodView p : groups.serving()) {
      p.unschedulable().ifPresent(m -> plan.unschedulable.add(p.name() + ": " + m));
      String problem = groups.counted().contains(p) ? capacityProblem(p, s, now) : null;
      if (problem != null) {
        plan.unavailable.add(new PodPlan.Unavailable(p.name(), problem));
      }
    }
    return plan.build();
  }

  /**
   * Drain-aware rollout: drain an outdated pod once its replacement has been ready for minReady, at
   * most maxSurge such drains in flight; start replacements only while every counted pod of the new
   * template is ready, so a replacement that crash-loops halts the rollout.
   */
  private static void roll(PlanSettings s, PodGroups groups, Builder plan, Instant now) {
    long rolloutDrains =
        groups.draining().stream()
            .filter(p -> p.drainReason().orElse("").equals(PodPlan.ROLLOUT))
            .count();
    int drains = groups.draining().size();
    List<PodView> waiting = new ArrayList<>();
    for (PodView r : groups.replacements()) {
      if (plan.removed(r.name())) {
        continue;
      }
      if (r.availableFor(s.minReady(), now)
          && rolloutDrains < s.maxSurge()
          && drains < s.maxConcurrentDrains()) {
        plan.drain(r.replaces().orElseThrow(), PodPlan.ROLLOUT);
        rolloutDrains++;
        drains++;
      } else {
        waiting.add(r);
      }
    }
    boolean newPodsHealthy =
        groups.counted().stream()
            .filter(p -> p.templateHash().equals(s.templateHash()))
            .allMatch(p -> p.availableFor(s.minReady(), now));
    if (!newPodsHealthy) {
      return;
    }
    int room = s.maxSurge() - waiting.size() - (int) rolloutDrains;
    for (PodView outdated : groups.outdated()) {
      if (room <= 0) {
        break;
      }
      plan.creates.add(new Create(outdated.name(), PodPlan.ROLLOUT));
      room--;
    }
  }

  /** Partial drains of hot pods, once every serving pod is ready and not too often per pod. */
  private static void rebalance(
      PlanSettings s, PodGroups groups, ScalingDecision decision, Builder plan, Instant now) {
    if (!groups.replacements().isEmpty() || !groups.counted().stream().allMatch(PodView::ready)) {
      return;
    }
    for (PartialDrain shed : decision.rebalance()) {
      groups.counted().stream()
          .filter(p -> p.name().equals(shed.pod()))
          .filter(
              p ->
                  p.rebalancedAt()
                      .map(at -> !at.plus(s.rebalanceQuiet()).isAfter(now))
                      .orElse(true))
          .findFirst()
          .ifPresent(p -> plan.rebalances.add(new Rebalance(p.name(), shed.count())));
    }
  }

  /** Why a counted pod is no capacity for growth, or null when it is. */
  static String capacityProblem(PodView p, PlanSettings s, Instant now) {
    if (p.ready()) {
      return p.scrapeFailing() ? PodPlan.METRICS_UNREACHABLE : null;
    }
    if (p.unschedulable().isPresent()) {
      // Counted as on its way: more pods would not schedule either.
      return null;
    }
    if (p.restarts() > 0 || p.waiting().filter(w -> w.contains("BackOff")).isPresent()) {
      return "not ready, " + why(p);
    }
    return longUnready(p, s, now)
        ? "not ready for " + s.replaceUnreadyAfter().toSeconds() + "s"
        : null;
  }

  private static boolean longUnready(PodView p, PlanSettings s, Instant now) {
    return !p.ready()
        && p.unschedulable().isEmpty()
        && !p.unreadySince().plus(s.replaceUnreadyAfter()).isAfter(now);
  }

  private static String why(PodView p) {
    if (p.unschedulable().isPresent()) {
      return "unschedulable";
    }
    if (p.waiting().isPresent()) {
      return p.waiting().get() + (p.restarts() > 0 ? ", " + p.restarts() + " restarts" : "");
    }
    if (p.ready()) {
      return "ready for less than minReadySeconds";
    }
    return p.restarts() > 0 ? p.restarts() + " restarts" : "not ready";
  }

  private static OptionalLong connections(PodView pod) {
    // A pod still starting holds no clients yet: count it as empty, not as missing.
    return pod.connections().isEmpty() && !pod.hasIp() ? OptionalLong.of(0) : pod.connections();
  }

  /** Collects a plan; a pod is drained or removed at most once. */
  private static final class Builder {
    final PodGroups groups;
    final List<Removal> removals = new ArrayList<>();
    final List<Drain> drains = new ArrayList<>();
    final List<Create> creates = new ArrayList<>();
    final List<Rebalance> rebalances = new ArrayList<>();
    final List<String> relabels = new ArrayList<>();
    final List<String> stalled = new ArrayList<>();
    final List<String> unschedulable = new ArrayList<>();
    final List<PodPlan.Unavailable> unavailable = new ArrayList<>();
    private final Set<String> touched = new LinkedHashSet<>();

    Builder(PodGroups groups) {
      this.groups = groups;
    }

    void remove(String pod, String reason) {
      if (touched.add(pod)) {
        removals.add(new Removal(pod, reason));
      }
    }

    void drain(String pod, String reason) {
      if (touched.add(pod)) {
        drains.add(new Drain(pod, reason));
      }
    }

    boolean removed(String pod) {
      return touched.contains(pod);
    }

    PodPlan build() {
      return new PodPlan(
          groups,
          List.copyOf(removals),
          List.copyOf(drains),
          List.copyOf(creates),
          List.copyOf(rebalances),
          List.copyOf(relabels),
          List.copyOf(stalled),
          List.copyOf(unschedulable),
          List.copyOf(unavailable));
    }
  }
}
