package io.wsfleet.operator.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One pod as the operator sees it.
 *
 * @param connections empty when its metrics could not be scraped
 * @param available whether it can take clients now or soon: ready, or still inside its start-up
 *     grace; a crash-looping, long-unready or unreachable pod is not capacity for growth
 * @param outdated made from an older template, so it leaves first on scale-down
 */
public record PodLoad(
    String name,
    OptionalLong connections,
    boolean draining,
    Instant createdAt,
    boolean available,
    boolean outdated) {

  public PodLoad {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** An available pod of the current template. */
  public PodLoad(String name, OptionalLong connections, boolean draining, Instant createdAt) {
    this(name, connections, draining, createdAt, true, false);
  }

  /** A pod whose scrape succeeded. */
  public static PodLoad of(String name, long connections, boolean draining, Instant createdAt) {
    return new PodLoad(name, OptionalLong.of(connections), draining, createdAt);
  }

  /** A pod whose scrape failed or has not happened yet. */
  public static PodLoad withoutMetrics(String name, boolean draining, Instant createdAt) {
    return new PodLoad(name, OptionalLong.empty(), draining, createdAt);
  }

  /** The same pod, not available for growth. */
  public PodLoad unavailable() {
    return new PodLoad(name, connections, draining, createdAt, false, outdated);
  }

  /** The same pod, from an older template. */
  public PodLoad asOutdated() {
    return new PodLoad(name, connections, draining, createdAt, available, true);
  }
}
