package io.wsfleet.operator.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fleet's live pods, sorted by what the operator does with them.
 *
 * @param counted serving pods that make up the fleet's size
 * @param replacements serving pods started by a rollout for an outdated pod that still serves; they
 *     join the count once that pod leaves
 * @param draining pods handing their clients over
 * @param finished pods whose server stopped for good; they are replaced
 * @param outdated counted pods made from an older template and not yet being replaced
 */
public record PodGroups(
    List<PodView> counted,
    List<PodView> replacements,
    List<PodView> draining,
    List<PodView> finished,
    List<PodView> outdated) {

  /** Sorts pods by name, then into groups; {@code templateHash} is the current template's. */
  public static PodGroups of(List<PodView> pods, String templateHash) {
    List<PodView> all = pods.stream().sorted(Comparator.comparing(PodView::name)).toList();
    List<PodView> serving = new ArrayList<>();
    List<PodView> draining = new ArrayList<>();
    List<PodView> finished = new ArrayList<>();
    for (PodView pod : all) {
      if (pod.finished()) {
        finished.add(pod);
      } else if (pod.draining()) {
        draining.add(pod);
      } else {
        serving.add(pod);
      }
    }
    Set<String> servingNames = new HashSet<>();
    serving.forEach(p -> servingNames.add(p.name()));
    List<PodView> counted = new ArrayList<>();
    List<PodView> replacements = new ArrayList<>();
    Set<String> beingReplaced = new HashSet<>();
    for (PodView pod : serving) {
      String target = pod.replaces().orElse(null);
      if (target != null && servingNames.contains(target)) {
        replacements.add(pod);
        beingReplaced.add(target);
      } else {
        counted.add(pod);
      }
    }
    List<PodView> outdated =
        counted.stream()
            .filter(p -> !templateHash.equals(p.templateHash()))
            .filter(p -> !beingReplaced.contains(p.name()))
            .toList();
    return new PodGroups(counted, replacements, draining, finished, outdated);
  }

  /** Serving pods: counted ones and rollout replacements, all behind the Service. */
  public List<PodView> serving() {
    List<PodView> serving = new ArrayList<>(counted);
    serving.addAll(replacements);
    return serving;
  }

  /** The replacement standing in for {@code pod}, if a rollout started one. */
  public Optional<PodView> replacementOf(String pod) {
    return replacements.stream().filter(r -> r.replaces().orElse("").equals(pod)).findFirst();
  }
}
