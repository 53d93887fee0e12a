package io.wsfleet.operator.reconciler;

import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.api.WebSocketFleetStatus;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.plan.PodGroups;
import io.wsfleet.operator.plan.PodPlan;
import io.wsfleet.operator.plan.PodView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The one place the status is made: counts and five named conditions, from what a reconcile saw and
 * did, or from the error that stopped it.
 */
final class FleetStatusAggregator {

  static final String READY = "Ready";
  static final String SCALING = "Scaling";
  static final String PROGRESSING = "Progressing";
  static final String DRAINING = "Draining";
  static final String DEGRADED = "Degraded";

  private FleetStatusAggregator() {}

  static WebSocketFleetStatus status(WebSocketFleet fleet, FleetFacts facts, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    PodGroups pods = facts.plan().groups();
    List<PodView> serving = pods.serving();
    int ready = (int) serving.stream().filter(PodView::ready).count();
    int draining = pods.draining().size();
    int desired = facts.decision().desiredServing();
    FleetStatusBuilder status =
        new FleetStatusBuilder(fleet, at)
            // The scale subresource reads replicas: serving pods, in the unit of spec.replicas.
            .counts(serving.size(), ready, draining, total(facts), desired);
    if (facts.scaledAt() != null) {
      status.scaledAt(at);
    }
    boolean allReady = ready >= desired && pods.counted().size() == desired;
    status.condition(
        READY,
        allReady,
        allReady ? "AllPodsReady" : "PodsNotReady",
        String.format("%d of %d desired serving pods are ready", ready, desired));
    int counted = pods.counted().size();
    boolean rolling = !pods.outdated().isEmpty() || !pods.replacements().isEmpty();
    String scalingReason =
        counted < desired
            ? "ScalingUp"
            : counted > desired ? "ScalingDown" : rolling ? "RollingOut" : "Stable";
    status.condition(
        SCALING, counted != desired || rolling, scalingReason, facts.decision().message());
    progressing(status, facts, rolling);
    status.condition(
        DRAINING,
        draining > 0,
        draining > 0 ? "PodsDraining" : "NoDrains",
        draining > 0
            ? "Draining: "
                + pods.draining().stream()
                    .map(p -> p.name() + " (" + left(facts, p) + " connections left)")
                    .collect(Collectors.joining(", "))
            : "No pod is draining");
    degraded(status, facts);
    return status.build();
  }

  /** The status after a reconcile failed: the last counts, Degraded with the error. */
  static WebSocketFleetStatus failed(WebSocketFleet fleet, Exception error, Instant now) {
    WebSocketFleetStatus previous = fleet.getStatus();
    FleetStatusBuilder status = new FleetStatusBuilder(fleet, now.truncatedTo(ChronoUnit.SECONDS));
    if (previous != null) {
      status.keep(previous);
    }
    status.condition(
        DEGRADED,
        true,
        "ReconcileError",
        "Reconcile failed: "
            + FleetEvents.apiMessage(error)
            + "; the operator retries with back-off");
    return status.build();
  }

  private static void progressing(FleetStatusBuilder status, FleetFacts facts, boolean rolling) {
    PodGroups pods = facts.plan().groups();
    List<String> stalled = facts.plan().stalled();
    if (!stalled.isEmpty()) {
      status.condition(
          PROGRESSING,
          false,
          "ProgressDeadlineExceeded",
          "Rollout replacements not available within rollout.progressDeadlineSeconds: "
              + String.join(", ", stalled)
              + "; fix the template (a new one replaces them) or the cluster");
    } else if (rolling) {
      long current = pods.counted().size() - pods.outdated().size();
      status.condition(
          PROGRESSING,
          true,
          "RollingOut",
          String.format(
              "%d of %d counted pods run the current template; %d replacement(s) starting",
              current, pods.counted().size(), pods.replacements().size()));
    } else {
      status.condition(
          PROGRESSING,
          true,
          "RolloutComplete",
          "All " + pods.counted().size() + " serving pods run the current template");
    }
  }

  private static void degraded(FleetStatusBuilder status, FleetFacts facts) {
    List<String> reasons = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!facts.dependentErrors().isEmpty()) {
      reasons.add("DependentFailed");
      problems.add(String.join("; ", facts.dependentErrors()));
    }
    if (!facts.plan().unschedulable().isEmpty()) {
      reasons.add("PodsUnschedulable");
      problems.add("Cannot be scheduled: " + String.join("; ", facts.plan().unschedulable()));
    }
    List<PodSample> failing = facts.failingScrapes();
    if (!failing.isEmpty()) {
      reasons.add("ScrapeFailing");
      problems.add(
          "Metrics unreachable for "
              + failing.stream()
                  .map(
                      s ->
                          s.pod()
                              + " ("
                              + s.consecutiveFailures()
                              + " failures: "
                              + s.error()
                              + ")")
                  .collect(Collectors.joining(", "))
              + "; check the pods' admin port and network policies");
    }
    List<String> unavailable =
        facts.plan().unavailable().stream()
            .filter(u -> !u.unreachable())
            .map(PodPlan.Unavailable::toString)
            .toList();
    if (!unavailable.isEmpty()) {
      reasons.add("PodsUnavailable");
      problems.add("Not counted as capacity: " + String.join(", ", unavailable));
    }
    if (!facts.plan().groups().finished().isEmpty()) {
      reasons.add("PodsFailed");
      problems.add(
          facts.plan().groups().finished().size() + " pod(s) failed and are being replaced");
    }
    status.condition(
        DEGRADED,
        !reasons.isEmpty(),
        reasons.isEmpty() ? "AsExpected" : reasons.get(0),
        problems.isEmpty() ? "All pods answer their metrics scrapes" : String.join("; ", problems));
  }

  private static long total(FleetFacts facts) {
    return facts.samples().values().stream().mapToLong(s -> s.connections().orElse(0)).sum();
  }

  private static String left(FleetFacts facts, PodView pod) {
    PodSample sample = facts.samples().get(pod.name());
    return PodSample.connectionsText(sample == null ? OptionalLong.empty() : sample.connections());
  }
}
