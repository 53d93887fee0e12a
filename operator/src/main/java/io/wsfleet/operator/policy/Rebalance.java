package io.wsfleet.operator.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Partial drains for hot pods: new pods only receive new clients, so pods far above the fleet
 * average must shed their excess for the load to even out.
 */
final class Rebalance {

  private Rebalance() {}

  /**
   * The average is taken over the serving pods with metrics plus {@code addedPods}: pods being
   * added in this decision will take the moved clients, so they count as empty. Pods without
   * metrics are left out of the average (their load is unknown) and are never asked to shed.
   */
  static List<PartialDrain> plan(List<PodLoad> serving, int thresholdPercent, int addedPods) {
    List<PodLoad> measured =
        serving.stream()
            .filter(p -> p.connections().isPresent())
            .sorted(Comparator.comparing(PodLoad::name))
            .toList();
    long pods = measured.size() + (long) Math.max(0, addedPods);
    // One measured pod is its own average; only pods being added give it somewhere to go.
    if (measured.isEmpty() || pods < 2) {
      return List.of();
    }
    long sum = measured.stream().mapToLong(p -> p.connections().getAsLong()).sum();
    List<PartialDrain> drains = new ArrayList<>();
    for (PodLoad pod : measured) {
      long connections = pod.connections().getAsLong();
      // connections > threshold% * sum / pods, and excess = floor(connections - sum / pods)
      if (connections * 100 * pods > (long) thresholdPercent * sum) {
        long excess = (connections * pods - sum) / pods;
        if (excess > 0) {
          drains.add(new PartialDrain(pod.name(), excess));
        }
      }
    }
    return List.copyOf(drains);
  }
}
