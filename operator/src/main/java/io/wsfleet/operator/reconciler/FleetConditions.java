package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.api.WebSocketFleetStatus;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.policy.ScalingDecision;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns what a reconcile saw and did into the status: counts and four conditions. */
final class FleetConditions {

  private FleetConditions() {}

  static WebSocketFleetStatus status(
      WebSocketFleet fleet, FleetSteps.Outcome outcome, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    FleetPods pods = outcome.pods();
    ScalingDecision decision = outcome.decision();
    List<Pod> serving =
        Stream.concat(pods.counted().stream(), pods.replacements().stream()).toList();
    int ready = (int) serving.stream().filter(FleetPods::isReady).count();
    int draining = pods.draining().size();
    int desired = decision.desiredServing();
    FleetStatusBuilder status =
        new FleetStatusBuilder(fleet, at)
            // The scale subresource reads replicas: serving pods, in the unit of spec.replicas.
            .counts(serving.size(), ready, draining, FleetSteps.total(outcome.samples()), desired);
    if (outcome.scaledAt() != null) {
      status.scaledAt(at);
    }
    boolean allReady = ready >= desired && pods.counted().size() == desired;
    status.condition(
        "Ready",
        allReady,
        allReady ? "AllPodsReady" : "PodsNotReady",
        String.format("%d of %d desired serving pods are ready", ready, desired));
    int counted = pods.counted().size();
    boolean scaling =
        counted != desired || !pods.replacements().isEmpty() || !pods.outdated().isEmpty();
    String scalingReason =
        counted < desired
            ? "ScalingUp"
            : counted > desired
                ? "ScalingDown"
                : !pods.outdated().isEmpty() || !pods.replacements().isEmpty()
                    ? "RollingOut"
                    : "Stable";
    status.condition("Scaling", scaling, scalingReason, decision.message());
    status.condition(
        "Draining",
        draining > 0,
        draining > 0 ? "PodsDraining" : "NoDrains",
        draining > 0
            ? "Draining: "
                + pods.draining().stream()
                    .map(
                        p ->
                            p.getMetadata().getName()
                                + " ("
                                + left(outcome, p)
                                + " connections left)")
                    .collect(Collectors.joining(", "))
            : "No pod is draining");
    List<PodSample> failing = outcome.failingScrapes();
    boolean degraded = !failing.isEmpty() || !pods.failed().isEmpty();
    status.condition(
        "Degraded",
        degraded,
        !failing.isEmpty()
            ? "ScrapeFailing"
            : !pods.failed().isEmpty() ? "PodsFailed" : "AsExpected",
        !failing.isEmpty()
            ? "Metrics unreachable for "
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
                + "; check the pods' admin port and network policies"
            : !pods.failed().isEmpty()
                ? pods.failed().size() + " pod(s) failed and are being replaced"
                : "All pods answer their metrics scrapes");
    return status.build();
  }

  private static String left(FleetSteps.Outcome outcome, Pod pod) {
    return FleetSteps.connectionsText(FleetSteps.connections(outcome.samples(), pod));
  }
}
