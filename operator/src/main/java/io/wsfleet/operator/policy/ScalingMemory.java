package io.wsfleet.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the policy remembers about one fleet between two decisions: recent recommendations and the
 * end of panic mode ({@code panicUntil} is null when not panicking).
 */
public record ScalingMemory(List<Recommendation> recommendations, Instant panicUntil) {

  public ScalingMemory {
    recommendations = List.copyOf(recommendations);
  }

  /** Nothing remembered: a new fleet, a restarted operator, or a fleet back from manual mode. */
  public static ScalingMemory empty() {
    return new ScalingMemory(List.of(), null);
  }

  /** Lowest recommendation younger than {@code window}, counting {@code fresh} as one. */
  int lowestWithin(Duration window, Instant now, int fresh) {
    return Math.min(fresh, within(window, now).min().orElse(fresh));
  }

  /** Highest recommendation younger than {@code window}, counting {@code fresh} as one. */
  int highestWithin(Duration window, Instant now, int fresh) {
    return Math.max(fresh, within(window, now).max().orElse(fresh));
  }

  private IntStream within(Duration window, Instant now) {
    Instant cutoff = now.minus(window);
    return recommendations.stream()
        .filter(r -> r.at().isAfter(cutoff))
        .mapToInt(Recommendation::replicas);
  }

  /** Adds {@code latest} and forgets what no window can reach any more. */
  ScalingMemory record(Recommendation latest, Duration keep, Instant newPanicUntil) {
    Instant cutoff = latest.at().minus(keep);
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff)) {
        kept.add(r);
      }
    }
    kept.add(latest);
    return new ScalingMemory(kept, newPanicUntil);
  }
}
