package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fleet's live pods, sorted by what the operator does with them.
 *
 * @param counted serving pods that make up the fleet's size
 * @param replacements serving pods started by a rollout for an outdated pod that still serves; they
 *     join the count once that pod leaves
 * @param draining pods handing their clients over
 * @param failed pods whose server stopped for good; they are replaced
 * @param outdated counted pods made from an older template and not yet being replaced
 */
public record FleetPods(
    List<Pod> counted,
    List<Pod> replacements,
    List<Pod> draining,
    List<Pod> failed,
    List<Pod> outdated) {

  /** Sorts pods that are not being deleted; {@code templateHash} is the current template's. */
  public static FleetPods of(Collection<Pod> all, String templateHash) {
    List<Pod> live =
        all.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    List<Pod> serving = new ArrayList<>();
    List<Pod> draining = new ArrayList<>();
    List<Pod> failed = new ArrayList<>();
    for (Pod pod : live) {
      if (isFailed(pod)) {
        failed.add(pod);
      } else if (FleetLabels.DRAINING.equals(label(pod, FleetLabels.STATE))) {
        draining.add(pod);
      } else {
        serving.add(pod);
      }
    }
    Set<String> servingNames = new HashSet<>();
    serving.forEach(p -> servingNames.add(p.getMetadata().getName()));
    List<Pod> counted = new ArrayList<>();
    List<Pod> replacements = new ArrayList<>();
    Set<String> beingReplaced = new HashSet<>();
    for (Pod pod : serving) {
      String target = replaces(pod).orElse(null);
      if (target != null && servingNames.contains(target)) {
        replacements.add(pod);
        beingReplaced.add(target);
      } else {
        counted.add(pod);
      }
    }
    List<Pod> outdated =
        counted.stream()
            .filter(p -> !templateHash.equals(label(p, FleetLabels.TEMPLATE_HASH)))
            .filter(p -> !beingReplaced.contains(p.getMetadata().getName()))
            .toList();
    return new FleetPods(counted, replacements, draining, failed, outdated);
  }

  /** The outdated pod a rollout pod stands in for, if it is one. */
  public static Optional<String> replaces(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(FleetLabels.REPLACES));
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The pod's IP once it runs. */
  public static Optional<String> ip(Pod pod) {
    return Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).filter(ip -> !ip.isBlank());
  }

  private static boolean isFailed(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
