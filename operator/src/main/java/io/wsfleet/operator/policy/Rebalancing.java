package io.wsfleet.operator.policy;

import java.util.Comparator;
import java.util.List;

/**
 * New pods only receive new clients, so after a scale-up the old pods stay hot: pods above the
 * threshold share of the average shed their excess through a partial drain.
 */
final class Rebalancing {

  private Rebalancing() {}

  /**
   * Partial drains for serving pods above {@code thresholdPercent} of the average, where the
   * average spreads the known connections over {@code pods} (the desired count, so pods still
   * starting take their share).
   */
  static List<PartialDrain> plan(List<PodLoad> serving, int pods, int thresholdPercent) {
    List<PodLoad> known = serving.stream().filter(p -> p.connections().isPresent()).toList();
    if (pods < 2 || known.isEmpty()) {
      return List.of();
    }
    long total = known.stream().mapToLong(p -> p.connections().getAsLong()).sum();
    double average = (double) total / pods;
    return known.stream()
        .filter(p -> p.connections().getAsLong() * 100.0 > average * thresholdPercent)
        .map(
            p ->
                new PartialDrain(
                    p.name(), p.connections().getAsLong() - (long) Math.floor(average)))
        .filter(d -> d.count() > 0)
        .sorted(Comparator.comparing(PartialDrain::pod))
        .toList();
  }
}
