package io.wsfleet.operator.policy;

import io.wsfleet.operator.api.DrainSpec.PodSelection;
import java.util.Comparator;
import java.util.List;

/** Which serving pods leave first when the fleet shrinks. */
final class PodChoice {

  private PodChoice() {}

  /**
   * The first {@code count} serving pods in leaving order. With FewestConnections a pod whose
   * metrics are missing counts as full, so it leaves last; ties go to the newest pod, whose clients
   * have had the least time to settle, then by name so the choice is stable.
   */
  static List<String> leaving(List<PodLoad> serving, int count, PodSelection selection) {
    Comparator<PodLoad> newestFirst =
        Comparator.comparing(PodLoad::createdAt).reversed().thenComparing(PodLoad::name);
    Comparator<PodLoad> order =
        switch (selection) {
          case FewestConnections ->
              Comparator.comparingLong((PodLoad p) -> p.connections().orElse(Long.MAX_VALUE))
                  .thenComparing(newestFirst);
          case Oldest -> Comparator.comparing(PodLoad::createdAt).thenComparing(PodLoad::name);
          case Newest -> newestFirst;
        };
    return serving.stream().sorted(order).limit(Math.max(0, count)).map(PodLoad::name).toList();
  }
}
