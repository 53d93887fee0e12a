package io.wsfleet.operator.plan;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A fleet pod as the pod planner sees it: what Kubernetes and the last scrape say about it, with no
 * client objects, so that plans can be table-tested.
 *
 * @param templateHash the hash of the template the pod was made from
 * @param metadataHash the hash of the template labels and annotations last applied to it
 * @param replaces the outdated pod this one stands in for during a rollout
 * @param drainReason why it drains; empty while it serves
 * @param phase Pending, Running, Succeeded, Failed or Unknown, as the kubelet reports it
 * @param readySince when its Ready condition last turned true; empty while not ready
 * @param unreadySince when it last stopped being ready, or its creation when never ready
 * @param restarts container restarts so far: a pod that restarts while unready is crash-looping
 * @param waiting why its container waits (ImagePullBackOff, CrashLoopBackOff, ...), if it does
 * @param unschedulable the scheduler's message when no node can take the pod
 * @param connections from the last fresh scrape; empty when unknown
 * @param scrapeFailing whether its last scrapes failed in a row (unreachable)
 * @param rebalancedAt when it was last asked for a partial drain
 */
public record PodView(
    String name,
    String templateHash,
    String metadataHash,
    Optional<String> replaces,
    Optional<String> drainReason,
    String phase,
    Optional<Instant> readySince,
    Instant unreadySince,
    int restarts,
    Optional<String> waiting,
    Optional<String> unschedulable,
    boolean hasIp,
    Instant createdAt,
    OptionalLong connections,
    boolean scrapeFailing,
    Optional<Instant> rebalancedAt) {

  public PodView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(unreadySince, "unreadySince");
  }

  public boolean draining() {
    return drainReason.isPresent();
  }

  public boolean ready() {
    return readySince.isPresent();
  }

  /** The server stopped for good: the pod is replaced. */
  public boolean finished() {
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** Ready for at least {@code minReady}: a rollout may count on it. */
  boolean availableFor(java.time.Duration minReady, Instant now) {
    return readySince.map(since -> !since.plus(minReady).isAfter(now)).orElse(false);
  }
}
