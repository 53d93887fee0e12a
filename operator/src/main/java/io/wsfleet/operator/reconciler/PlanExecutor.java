package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.plan.PodPlan;
import io.wsfleet.operator.plan.PodView;
import io.wsfleet.operator.policy.ScalingDecision;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out a pod plan: the writes, and one event and log line per decision. */
final class PlanExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);

  private final PodWriter writer;
  private final PodDrains drains;
  private final FleetEvents events;
  private final OperatorMetrics metrics;

  PlanExecutor(PodWriter writer, PodDrains drains, FleetEvents events, OperatorMetrics metrics) {
    this.writer = writer;
    this.drains = drains;
    this.events = events;
    this.metrics = metrics;
  }

  /** What the pass did that the status reports; null scaledAt when the size did not change. */
  Instant execute(
      WebSocketFleet fleet,
      PodPlan plan,
      ScalingDecision decision,
      Map<String, Pod> pods,
      Map<String, PodSample> samples,
      Optional<String> token,
      Instant now) {
    String name = fleet.getMetadata().getNamespace() + "/" + fleet.getMetadata().getName();
    for (PodPlan.Removal removal : plan.removals()) {
      Pod pod = pods.get(removal.pod());
      writer.delete(pod);
      switch (removal.reason()) {
        case PodPlan.FINISHED ->
            events.warning(
                fleet,
                "PodFailed",
                "Pod "
                    + removal.pod()
                    + " stopped ("
                    + pod.getStatus().getPhase()
                    + "); replacing it");
        case PodPlan.UNREADY -> unready(fleet, plan, removal.pod(), "deleting and replacing it");
        default ->
            events.normal(
                fleet,
                "ReplacementSuperseded",
                "Rollout pod "
                    + removal.pod()
                    + " was made from a template that has changed since and never became"
                    + " ready; deleted it, the rollout goes on with the current template");
      }
      LOG.info(
          "event=pod-removed fleet={} pod={} reason={}", name, removal.pod(), removal.reason());
    }
    for (PodView draining : plan.groups().draining()) {
      Pod pod = pods.get(draining.name());
      drains.advance(writer, fleet, pod, sample(samples, pod), now);
    }
    boolean scaledDown = false;
    for (PodPlan.Drain drain : plan.drains()) {
      Pod pod = pods.get(drain.pod());
      if (PodPlan.UNREADY.equals(drain.reason())) {
        unready(fleet, plan, drain.pod(), "draining and replacing it");
      }
      scaledDown |= PodPlan.SCALE_DOWN.equals(drain.reason());
      drains.start(writer, fleet, pod, drain.reason(), sample(samples, pod), now);
      LOG.info("event=drain fleet={} pod={} reason={}", name, drain.pod(), drain.reason());
    }
    int added = 0;
    for (PodPlan.Create create : plan.creates()) {
      Pod created = writer.create(PodFactory.newPod(fleet, create.replaces()));
      added += PodPlan.SCALE_UP.equals(create.reason()) ? 1 : 0;
      LOG.info(
          "event=pod-created fleet={} pod={} reason={}{}",
          name,
          created.getMetadata().getName(),
          create.reason(),
          create.replaces() == null ? "" : " replacing=" + create.replaces());
    }
    Instant scaledAt = null;
    if (added > 0 || scaledDown) {
      scaledAt = now;
      metrics.decided(fleet, decision.reason().name());
      events.normal(fleet, added > 0 ? "ScaledUp" : "ScaledDown", decision.message());
      log(name, decision, added > 0 ? "added=" + added : "draining=" + decision.podsToDrain());
    }
    for (PodPlan.Rebalance shed : plan.rebalances()) {
      rebalance(fleet, pods.get(shed.pod()), shed, decision, now);
    }
    for (String relabel : plan.relabels()) {
      writer.edit(pods.get(relabel), p -> PodFactory.applyTemplateMetadata(fleet, p));
      LOG.info("event=pod-relabelled fleet={} pod={}", name, relabel);
    }
    return scaledAt;
  }

  private void rebalance(
      WebSocketFleet fleet,
      Pod pod,
      PodPlan.Rebalance shed,
      ScalingDecision decision,
      Instant now) {
    if (drains.rebalance(writer, fleet, pod, shed.count(), now)) {
      metrics.decided(fleet, "REBALANCE");
      events.normal(
          fleet,
          "Rebalanced",
          String.format(
              "Asked pod %s to move %d of its clients to other pods (%s)",
              shed.pod(), shed.count(), decision.message()));
      LOG.info(
          "event=rebalance fleet={}/{} pod={} count={}",
          fleet.getMetadata().getNamespace(),
          fleet.getMetadata().getName(),
          shed.pod(),
          shed.count());
    }
  }

  private void unready(WebSocketFleet fleet, PodPlan plan, String pod, String action) {
    events.warning(
        fleet,
        "PodUnready",
        "Pod "
            + pod
            + " has not been ready for too long ("
            + unreadyText(plan, pod)
            + "); "
            + action);
  }

  private static String unreadyText(PodPlan plan, String pod) {
    return plan.unavailable().stream()
        .filter(u -> u.pod().equals(pod))
        .findFirst()
        .map(PodPlan.Unavailable::why)
        .orElse("not ready");
  }

  static Optional<PodSample> sample(Map<String, PodSample> samples, Pod pod) {
    return Optional.ofNullable(samples.get(pod.getMetadata().getName()));
  }

  private static void log(String fleet, ScalingDecision decision, String action) {
    LOG.info(
        "event=scale fleet={} reason={} serving={} desired={} panicking={} {} message=\"{}\"",
        fleet,
        decision.reason(),
        decision.currentServing(),
        decision.desiredServing(),
        decision.panicking(),
        action,
        decision.message());
  }
}
