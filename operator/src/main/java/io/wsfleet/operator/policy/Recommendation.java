package io.wsfleet.operator.policy;

import java.time.Instant;
import java.util.Objects;

/** The replica count the load called for at one instant, kept for the stabilization windows. */
public record Recommendation(Instant at, int replicas) {

  public Recommendation {
    Objects.requireNonNull(at, "at");
  }
}
