package io.wsfleet.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    Instant cutoff = now.minus(window);
    int lowest = fresh;
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff)) {
        lowest = Math.min(lowest, r.replicas());
      }
    }
    return lowest;
  }

  /** Highest recommendation younger than {@code window}, counting {@code fresh} as one. */
  int highestWithin(Duration window, Instant now, int fresh) {
    Instant cutoff = now.minus(window);
    int highest = fresh;
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff)) {
        highest = Math.max(highest, r.replicas());
      }
    }
    return highest;
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
