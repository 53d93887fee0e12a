package io.wsfleet.operator.plan;

import io.wsfleet.operator.drain.DrainState;
import java.util.List;

/**
 * What to do to which pod in one pass, each with its reason, and what the status should say about
 * the pods.
 *
 * @param groups the pods as the planner sorted them
 * @param removals pods deleted without a drain: their server is gone or never served
 * @param drains serving pods to take out of the Service and drain
 * @param creates new pods to start
 * @param rebalances partial drains of hot pods
 * @param relabels pods whose template labels and annotations are patched in place
 * @param stalled rollout replacements past their progress deadline
 * @param unschedulable pods no node can take, with the scheduler's message
 * @param unavailable serving pods not counted as capacity for growth, with why
 */
public record PodPlan(
    PodGroups groups,
    List<Removal> removals,
    List<Drain> drains,
    List<Create> creates,
    List<Rebalance> rebalances,
    List<String> relabels,
    List<String> stalled,
    List<String> unschedulable,
    List<Unavailable> unavailable) {

  /** Delete {@code pod} at once. */
  public record Removal(String pod, String reason) {}

  /** Start draining {@code pod}. */
  public record Drain(String pod, String reason) {}

  /** Start a new pod; {@code replaces} names the outdated pod it stands in for, or is null. */
  public record Create(String replaces, String reason) {}

  /** A counted pod that is no capacity for growth, and why. */
  public record Unavailable(String pod, String why) {

    /** Ready, but its scrapes keep failing: the status reports it as ScrapeFailing already. */
    public boolean unreachable() {
      return METRICS_UNREACHABLE.equals(why);
    }

    @Override
    public String toString() {
      return pod + " (" + why + ")";
    }
  }

  /** Why a ready pod whose scrapes keep failing is no capacity. */
  public static final String METRICS_UNREACHABLE = "metrics unreachable";

  /** Ask {@code pod} to move {@code count} of its clients elsewhere. */
  public record Rebalance(String pod, long count) {}

  /** Reasons, as they appear in events, logs and the pods' drain annotation. */
  public static final String SCALE_DOWN = DrainState.SCALE_DOWN;

  public static final String SCALE_UP = "scale-up";
  public static final String ROLLOUT = "rollout";
  public static final String UNREADY = "unready";
  public static final String SUPERSEDED = "superseded";
  public static final String FINISHED = "finished";
}
