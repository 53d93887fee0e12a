package io.wsfleet.operator.policy;

import java.time.Instant;
import java.util.List;

/**
 * What the policy remembers between decisions: recent recommendations, since when it has been
 * watching, and until when panic mode lasts. The caller keeps it and passes it back; the policy
 * itself holds no state.
 *
 * @param observingSince the first decision's time; null before any
 */
public record ScalingMemory(
    List<Recommendation> recommendations, Instant observingSince, Instant panicUntil) {

  public ScalingMemory {
    recommendations = List.copyOf(recommendations);
  }

  public static ScalingMemory empty() {
    return new ScalingMemory(List.of(), null, Instant.EPOCH);
  }
}
