package io.wsfleet.operator.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One pod as the operator sees it; {@code connections} is empty when its metrics could not be
 * scraped.
 */
public record PodLoad(String name, OptionalLong connections, boolean draining, Instant createdAt) {

  public PodLoad {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A pod whose scrape succeeded. */
  public static PodLoad of(String name, long connections, boolean draining, Instant createdAt) {
    return new PodLoad(name, OptionalLong.of(connections), draining, createdAt);
  }

  /** A pod whose scrape failed or has not happened yet. */
  public static PodLoad withoutMetrics(String name, boolean draining, Instant createdAt) {
    return new PodLoad(name, OptionalLong.empty(), draining, createdAt);
  }
}
