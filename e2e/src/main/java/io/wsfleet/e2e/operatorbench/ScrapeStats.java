package io.wsfleet.e2e.operatorbench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How regularly the operator scraped, measured where the scrapes arrive (the node stand-in): per
 * pod, the gap between consecutive scrapes; per fleet, each round's spread from its first pod's
 * scrape to its last. A gap above 1.5 intervals means a round came at least half an interval late.
 */
record ScrapeStats(
    int gaps,
    double gapP50,
    double gapP99,
    double gapMax,
    int lateGaps,
    int rounds,
    double roundP50,
    double roundP99,
    double roundMax) {

  static final double LATE_FACTOR = 1.5;

  /** Scrapes that arrived in [from, to] (System.nanoTime), for fleets scraped every interval. */
  static ScrapeStats of(
      List<NodeStandIn.Registered> pods, long from, long to, double intervalSeconds) {
    List<Double> gaps = new ArrayList<>();
    int late = 0;
    Map<String, List<Long>> byFleet = new HashMap<>();
    for (NodeStandIn.Registered registered : pods) {
      long previous = -1;
      for (long at : registered.pod().scrapeTimes()) {
        if (at < from || at > to) {
          continue;
        }
        byFleet.computeIfAbsent(registered.fleet(), f -> new ArrayList<>()).add(at);
        if (previous >= 0) {
          double gap = (at - previous) / 1e9;
          gaps.add(gap);
          if (gap > LATE_FACTOR * intervalSeconds) {
            late++;
          }
        }
        previous = at;
      }
    }
    List<Double> rounds = new ArrayList<>();
    long split = (long) (intervalSeconds * 1e9 / 2);
    for (List<Long> times : byFleet.values()) {
      long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
      long first = sorted[0];
      for (int i = 1; i <= sorted.length; i++) {
        if (i == sorted.length || sorted[i] - sorted[i - 1] > split) {
          rounds.add((sorted[i - 1] - first) / 1e9);
          if (i < sorted.length) {
            first = sorted[i];
          }
        }
      }
    }
    double[] g = sorted(gaps);
    double[] r = sorted(rounds);
    return new ScrapeStats(
        g.length,
        rank(g, 0.50),
        rank(g, 0.99),
        g.length == 0 ? Double.NaN : g[g.length - 1],
        late,
        r.length,
        rank(r, 0.50),
        rank(r, 0.99),
        r.length == 0 ? Double.NaN : r[r.length - 1]);
  }

  private static double[] sorted(List<Double> values) {
    double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(array);
    return array;
  }

  /** Nearest-rank quantile of sorted values. */
  private static double rank(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
