package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.plan.PodView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads the pod planner's view of a pod from the Pod object and its last scrape. */
final class PodViews {

  /** Scrapes failed in a row before a pod counts as unreachable. */
  static final int FAILING_SCRAPES = 3;

  private PodViews() {}

  static PodView of(Pod pod, PodSample sample) {
    Map<String, String> labels = orEmpty(pod.getMetadata().getLabels());
    Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
    Instant created = instant(pod.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
    Optional<PodCondition> ready = condition(pod, "Ready");
    boolean isReady = ready.map(c -> "True".equals(c.getStatus())).orElse(false);
    Instant since = ready.flatMap(c -> instant(c.getLastTransitionTime())).orElse(created);
    boolean draining = FleetLabels.DRAINING.equals(labels.get(FleetLabels.STATE));
    List<ContainerStatus> containers =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    return new PodView(
        pod.getMetadata().getName(),
        labels.getOrDefault(FleetLabels.TEMPLATE_HASH, ""),
        annotations.getOrDefault(FleetLabels.METADATA_HASH, ""),
        Optional.ofNullable(annotations.get(FleetLabels.REPLACES)),
        draining
            ? Optional.of(annotations.getOrDefault(DrainState.REASON, "unknown"))
            : Optional.empty(),
        pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase(),
        isReady ? Optional.of(since) : Optional.empty(),
        isReady ? created : since,
        containers.stream()
            .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
            .sum(),
        containers.stream()
            .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
            .map(c -> c.getState().getWaiting().getReason())
            .filter(r -> r != null && !r.isBlank())
            .findFirst(),
        condition(pod, "PodScheduled")
            .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
            .map(c -> c.getMessage() == null ? "Unschedulable" : c.getMessage()),
        FleetPods.ip(pod).isPresent(),
        created,
        sample == null ? OptionalLong.empty() : sample.connections(),
        sample != null && sample.consecutiveFailures() >= FAILING_SCRAPES,
        instant(annotations.get(FleetLabels.REBALANCED_AT)));
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.ofNullable(text).map(Instant::parse);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
