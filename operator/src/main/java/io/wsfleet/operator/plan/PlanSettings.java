package io.wsfleet.operator.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * The fleet settings the pod planner needs, with defaults applied.
 *
 * @param templateHash the current template's hash: pods with another one are outdated
 * @param metadataHash the current template labels' and annotations' hash
 * @param maxSurge rollout replacements started ahead, and rollout drains in flight, at most
 * @param minReady how long a replacement stays ready before the pod it replaces drains
 * @param progressDeadline how long a replacement may take to become available
 * @param replaceUnreadyAfter how long a serving pod may stay unready before it is replaced
 * @param maxConcurrentDrains drains in flight per fleet, for any reason
 * @param rebalanceQuiet how long a pod rests between two partial drains
 */
public record PlanSettings(
    String templateHash,
    String metadataHash,
    int maxSurge,
    Duration minReady,
    Duration progressDeadline,
    Duration replaceUnreadyAfter,
    int maxConcurrentDrains,
    Duration rebalanceQuiet) {

  public PlanSettings {
    Objects.requireNonNull(templateHash, "templateHash");
    Objects.requireNonNull(metadataHash, "metadataHash");
    if (maxSurge < 1 || maxConcurrentDrains < 1) {
      throw new IllegalArgumentException("maxSurge and maxConcurrentDrains must be >= 1");
    }
  }
}
