package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.policy.PartialDrain;
import io.wsfleet.operator.policy.PodLoad;
import io.wsfleet.operator.policy.ScalingDecision;
import io.wsfleet.operator.policy.ScalingMemory;
import io.wsfleet.operator.policy.ScalingPolicy;
import io.wsfleet.operator.policy.ScalingSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over a fleet's pods, in order: replace failed pods, advance drains, then act on the
 * policy's decision (grow, shrink by draining, or roll and rebalance when the size is right).
 */
final class FleetSteps {

  private static final Logger LOG = LoggerFactory.getLogger(FleetSteps.class);
  private static final Duration MIN_REBALANCE_INTERVAL = Duration.ofSeconds(30);

  /** What a pass saw and did, for the status. */
  record Outcome(
      FleetPods pods,
      Map<String, PodSample> samples,
      ScalingDecision decision,
      Instant scaledAt,
      List<PodSample> failingScrapes) {}

  private final PodWriter writer;
  private final PodDrains drains;
  private final FleetEvents events;
  private final OperatorMetrics metrics;

  FleetSteps(PodWriter writer, PodDrains drains, FleetEvents events, OperatorMetrics metrics) {
    this.writer = writer;
    this.drains = drains;
    this.events = events;
    this.metrics = metrics;
  }

  Outcome run(
      WebSocketFleet fleet,
      FleetPods pods,
      Map<String, PodSample> samples,
      Optional<String> token,
      Instant now,
      ScalingMemory memory) {
    String name = fleet.getMetadata().getName();
    for (Pod failed : pods.failed()) {
      writer.delete(failed);
      events.warning(
          fleet,
          "PodFailed",
          "Pod "
              + failed.getMetadata().getName()
              + " stopped ("
              + failed.getStatus().getPhase()
              + "); replacing it");
      LOG.info("event=pod-failed fleet={} pod={}", name, failed.getMetadata().getName());
    }
    for (Pod draining : pods.draining()) {
      drains.advance(writer, fleet, draining, sample(samples, draining), now);
    }
    List<PodSample> failing = reportFailingScrapes(fleet, pods, samples);

    List<PodLoad> loads = new ArrayList<>();
    pods.counted().forEach(p -> loads.add(load(p, samples, false)));
    pods.draining().forEach(p -> loads.add(load(p, samples, true)));
    ScalingDecision decision =
        ScalingPolicy.decide(ScalingSettings.from(fleet.getSpec()), loads, memory, now);
    metrics.observed(fleet, decision.desiredServing(), total(samples));

    int counted = pods.counted().size();
    Instant scaledAt = null;
    if (decision.desiredServing() > counted) {
      int add = decision.desiredServing() - counted;
      for (int i = 0; i < add; i++) {
        writer.create(PodFactory.newPod(fleet, null));
      }
      scaledAt = now;
      metrics.decided(fleet, decision.reason().name());
      events.normal(fleet, "ScaledUp", decision.message());
      log(fleet, decision, "added=" + add);
    } else if (decision.desiredServing() < counted) {
      for (String leaving : decision.podsToDrain()) {
        find(pods.counted(), leaving)
            .ifPresent(
                p ->
                    drains.start(writer, fleet, p, DrainState.SCALE_DOWN, sample(samples, p), now));
      }
      scaledAt = now;
      metrics.decided(fleet, decision.reason().name());
      events.normal(fleet, "ScaledDown", decision.message());
      log(fleet, decision, "draining=" + decision.podsToDrain());
    } else {
      roll(fleet, pods, samples, token, now);
      rebalance(fleet, pods, decision, token, now);
      LOG.debug("event=steady fleet={} {}", name, decision.message());
    }
    return new Outcome(pods, samples, decision, scaledAt, failing);
  }

  /**
   * Drain-aware rollout: start a replacement for up to maxSurge outdated pods, and drain an
   * outdated pod only once its replacement is ready.
   */
  private void roll(
      WebSocketFleet fleet,
      FleetPods pods,
      Map<String, PodSample> samples,
      Optional<String> token,
      Instant now) {
    for (Pod replacement : pods.replacements()) {
      if (FleetPods.isReady(replacement)) {
        String target = FleetPods.replaces(replacement).orElseThrow();
        find(pods.counted(), target)
            .ifPresent(
                old -> drains.start(writer, fleet, old, "rollout", sample(samples, old), now));
      }
    }
    int room = FleetSettings.maxSurge(fleet) - pods.replacements().size();
    for (Pod outdated :
        pods.outdated().subList(0, Math.max(0, Math.min(room, pods.outdated().size())))) {
      Pod created = writer.create(PodFactory.newPod(fleet, outdated.getMetadata().getName()));
      LOG.info(
          "event=rollout fleet={} replacing={} with={}",
          fleet.getMetadata().getName(),
          outdated.getMetadata().getName(),
          created.getMetadata().getName());
    }
  }

  /** Partial drains of hot pods, once every serving pod is ready and not too often per pod. */
  private void rebalance(
      WebSocketFleet fleet,
      FleetPods pods,
      ScalingDecision decision,
      Optional<String> token,
      Instant now) {
    if (decision.rebalance().isEmpty()
        || token.isEmpty()
        || !pods.replacements().isEmpty()
        || !pods.counted().stream().allMatch(FleetPods::isReady)) {
      return;
    }
    Duration quiet =
        max(MIN_REBALANCE_INTERVAL, FleetSettings.scrapeInterval(fleet).multipliedBy(3));
    for (PartialDrain shed : decision.rebalance()) {
      Optional<Pod> pod = find(pods.counted(), shed.pod());
      if (pod.isEmpty() || recentlyRebalanced(pod.get(), now, quiet)) {
        continue;
      }
      if (drains.rebalance(writer, fleet, pod.get(), shed.count(), now)) {
        metrics.decided(fleet, "REBALANCE");
        events.normal(
            fleet,
            "Rebalanced",
            String.format(
                "Asked pod %s to move %d of its clients to other pods (%s)",
                shed.pod(), shed.count(), decision.message()));
        LOG.info(
            "event=rebalance fleet={} pod={} count={}",
            fleet.getMetadata().getName(),
            shed.pod(),
            shed.count());
      }
    }
  }

  /** Raises ScrapeFailing once per pod when its scrapes have failed three times in a row. */
  private List<PodSample> reportFailingScrapes(
      WebSocketFleet fleet, FleetPods pods, Map<String, PodSample> samples) {
    List<PodSample> failing = new ArrayList<>();
    for (Pod pod : pods.counted()) {
      PodSample sample = samples.get(pod.getMetadata().getName());
      if (sample != null && sample.consecutiveFailures() >= 3) {
        failing.add(sample);
        if (sample.consecutiveFailures() == 3) {
          events.warning(
              fleet,
              "ScrapeFailing",
              String.format(
                  "Metrics of pod %s failed 3 scrapes in a row (%s); it counts as full, so the"
                      + " fleet will not shrink until it answers",
                  sample.pod(), sample.error()));
          LOG.info(
              "event=scrape-failing fleet={}/{} pod={} failures=3 error=\"{}\"",
              fleet.getMetadata().getNamespace(),
              fleet.getMetadata().getName(),
              sample.pod(),
              sample.error());
        }
      }
    }
    return failing;
  }

  private static boolean recentlyRebalanced(Pod pod, Instant now, Duration quiet) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String at = annotations == null ? null : annotations.get(FleetLabels.REBALANCED_AT);
    try {
      return at != null && Instant.parse(at).plus(quiet).isAfter(now);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static PodLoad load(Pod pod, Map<String, PodSample> samples, boolean draining) {
    Instant created =
        Optional.ofNullable(pod.getMetadata().getCreationTimestamp())
            .map(Instant::parse)
            .orElse(Instant.EPOCH);
    OptionalLong connections = connections(samples, pod);
    if (connections.isEmpty() && FleetPods.ip(pod).isEmpty()) {
      // A pod still starting holds no clients yet: count it as empty, not as missing.
      connections = OptionalLong.of(0);
    }
    return new PodLoad(pod.getMetadata().getName(), connections, draining, created);
  }

  static Optional<PodSample> sample(Map<String, PodSample> samples, Pod pod) {
    return Optional.ofNullable(samples.get(pod.getMetadata().getName()));
  }

  static OptionalLong connections(Map<String, PodSample> samples, Pod pod) {
    PodSample sample = samples.get(pod.getMetadata().getName());
    return sample == null ? OptionalLong.empty() : sample.connections();
  }

  /** A pod's connections for events and messages: the count, or "unknown" without a sample. */
  static String connectionsText(OptionalLong connections) {
    return connections.isPresent() ? Long.toString(connections.getAsLong()) : "unknown";
  }

  static long total(Map<String, PodSample> samples) {
    return samples.values().stream().mapToLong(s -> s.connections().orElse(0)).sum();
  }

  private static Optional<Pod> find(List<Pod> pods, String name) {
    return pods.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void log(WebSocketFleet fleet, ScalingDecision decision, String action) {
    LOG.info(
        "event=scale fleet={}/{} reason={} serving={} desired={} panicking={} {} message=\"{}\"",
        fleet.getMetadata().getNamespace(),
        fleet.getMetadata().getName(),
        decision.reason(),
        decision.currentServing(),
        decision.desiredServing(),
        decision.panicking(),
        action,
        decision.message());
  }
}
