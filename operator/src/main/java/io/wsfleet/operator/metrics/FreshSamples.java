package io.wsfleet.operator.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which samples still count. One older than {@value #MAX_AGE_IN_INTERVALS} scrape intervals (its
 * fleet's scrapes stalled) stands for nothing: the pod counts as unscraped, not as holding what it
 * held then.
 */
public final class FreshSamples {

  /** Scrape intervals after which a sample is stale. */
  public static final int MAX_AGE_IN_INTERVALS = 3;

  private FreshSamples() {}

  /** The samples by pod name, stale ones replaced by a failed sample that says how old it was. */
  public static Map<String, PodSample> byPod(
      Collection<PodSample> samples, Instant now, Duration interval) {
    Map<String, PodSample> byPod = new HashMap<>();
    samples.forEach(s -> byPod.put(s.pod(), fresh(s, now, interval)));
    return byPod;
  }

  /** The sample itself while fresh; past the age limit, a failed one in its place. */
  public static PodSample fresh(PodSample sample, Instant now, Duration interval) {
    Duration age = Duration.between(sample.takenAt(), now);
    if (age.compareTo(interval.multipliedBy(MAX_AGE_IN_INTERVALS)) <= 0) {
      return sample;
    }
    return PodSample.failed(
        sample.pod(),
        "stale: last scrape " + age.toSeconds() + " s ago",
        sample.consecutiveFailures(),
        sample.takenAt());
  }
}
