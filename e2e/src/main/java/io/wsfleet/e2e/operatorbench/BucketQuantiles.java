package io.wsfleet.e2e.operatorbench;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Quantiles of a Prometheus histogram over a phase: the bucket counts at its end minus those at its
 * start, then linear interpolation inside the bucket that holds the rank, as PromQL's
 * histogram_quantile does. The result is only as fine as the buckets.
 */
record BucketQuantiles(TreeMap<Double, Double> cumulative) {

  /** The {@code name}_bucket samples that pass {@code filter}, after minus before, summed by le. */
  static BucketQuantiles between(
      PromSamples before, PromSamples after, String name, Predicate<PromSamples.Sample> filter) {
    TreeMap<Double, Double> counts = new TreeMap<>();
    add(counts, after, name, filter, 1);
    add(counts, before, name, filter, -1);
    return new BucketQuantiles(counts);
  }

  private static void add(
      TreeMap<Double, Double> counts,
      PromSamples samples,
      String name,
      Predicate<PromSamples.Sample> filter,
      int sign) {
    for (PromSamples.Sample s : samples.samples()) {
      if (s.name().equals(name + "_bucket") && filter.test(s)) {
        double le = Double.parseDouble(s.label("le").replace("+Inf", "Infinity"));
        counts.merge(le, sign * s.value(), Double::sum);
      }
    }
  }

  double count() {
    return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /**
   * The q-quantile in the histogram's unit; NaN with no observations. A rank in the +Inf bucket
   * returns the highest finite bound (the figure is then "at least" that).
   */
  double quantile(double q) {
    double total = count();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lowerBound;
        }
        double inBucket = bucket.getValue() - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return lowerBound + (bucket.getKey() - lowerBound) * fraction;
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return lowerBound;
  }

  /** The upper bound of the bucket holding the q-quantile, for saying how coarse it is. */
  double bucketBound(double q) {
    double rank = q * count();
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        return bucket.getKey();
      }
    }
    return Double.NaN;
  }
}
