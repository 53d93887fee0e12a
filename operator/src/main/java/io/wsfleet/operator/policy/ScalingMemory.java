package io.wsfleet.operator.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the policy remembers about one fleet between two decisions: recent recommendations, the
 * recent steps it took (for the per-period step limits) and the end of panic mode ({@code
 * panicUntil} is null when not panicking).
 */
public record ScalingMemory(
    List<Recommendation> recommendations, List<Step> steps, Instant panicUntil) {

  /** A change of the serving count decided at {@code at}: pods added (positive) or drained. */
  public record Step(Instant at, int delta) {}

  public ScalingMemory {
    recommendations = List.copyOf(recommendations);
    steps = List.copyOf(steps);
  }

  public ScalingMemory(List<Recommendation> recommendations, Instant panicUntil) {
    this(recommendations, List.of(), panicUntil);
  }

  /** Nothing remembered: a new fleet, a restarted operator, or a fleet back from manual mode. */
  public static ScalingMemory empty() {
    return new ScalingMemory(List.of(), List.of(), null);
  }

  /** Pods added by steps younger than {@code period}. */
  int addedWithin(Duration period, Instant now) {
    return stepsWithin(period, now).filter(d -> d > 0).sum();
  }

  /** Pods drained by steps younger than {@code period}. */
  int drainedWithin(Duration period, Instant now) {
    return -stepsWithin(period, now).filter(d -> d < 0).sum();
  }

  private IntStream stepsWithin(Duration period, Instant now) {
    Instant cutoff = now.minus(period);
    return steps.stream().filter(st -> st.at().isAfter(cutoff)).mapToInt(Step::delta);
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

  /**
   * Adds {@code latest} and the step taken with it ({@code delta} 0 for none), and forgets what no
   * window or period can reach any more.
   */
  ScalingMemory record(Recommendation latest, int delta, Duration keep, Instant newPanicUntil) {
    Instant cutoff = latest.at().minus(keep);
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(cutoff)) {
        kept.add(r);
      }
    }
    kept.add(latest);
    List<Step> keptSteps = new ArrayList<>();
    for (Step st : steps) {
      if (st.at().isAfter(cutoff)) {
        keptSteps.add(st);
      }
    }
    if (delta != 0) {
      keptSteps.add(new Step(latest.at(), delta));
    }
    return new ScalingMemory(kept, keptSteps, newPanicUntil);
  }
}
