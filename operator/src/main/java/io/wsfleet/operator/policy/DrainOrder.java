package io.wsfleet.operator.policy;

import io.wsfleet.operator.api.DrainSpec.PodSelection;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Which serving pods leave first on scale-down; a total order, so the choice is repeatable. */
final class DrainOrder {

  private DrainOrder() {}

  static List<String> pick(List<PodLoad> serving, PodSelection selection, int count) {
    // Pods of an older template leave first: a rollout would replace them anyway.
    Comparator<PodLoad> outdatedFirst = Comparator.comparing(p -> !p.outdated());
    return serving.stream()
        .sorted(outdatedFirst.thenComparing(order(selection)))
        .limit(Math.max(0, count))
        .map(PodLoad::name)
        .toList();
  }

  /**
   * FewestConnections moves the fewest clients; a pod without metrics sorts last because it may be
   * full. Among equals the newest leaves first: it has had the least time to fill up and its
   * clients have had the least time to settle.
   */
  static Comparator<PodLoad> order(PodSelection selection) {
    Comparator<PodLoad> oldestFirst =
        Comparator.comparing(PodLoad::createdAt).thenComparing(PodLoad::name);
    Comparator<PodLoad> newestFirst =
        Comparator.comparing(PodLoad::createdAt, Comparator.<Instant>reverseOrder())
            .thenComparing(PodLoad::name);
    return switch (selection) {
      case Oldest -> oldestFirst;
      case Newest -> newestFirst;
      case FewestConnections ->
          Comparator.comparingLong((PodLoad p) -> p.connections().orElse(Long.MAX_VALUE))
              .thenComparing(newestFirst);
    };
  }
}
