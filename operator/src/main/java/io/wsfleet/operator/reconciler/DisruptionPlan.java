package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;

/**
 * The fleet's budget for voluntary evictions, as a PodDisruptionBudget minAvailable over serving
 * pods: the desired serving pods minus maxUnavailable, so a drain evicts that many and then waits
 * for their replacements to be ready. A pod the scheduler found no room for is left out: it adds no
 * capacity whether the drain waits or not, and counting it as unavailable (as maxUnavailable does)
 * would block every node drain until the cluster grows.
 */
final class DisruptionPlan {

  private DisruptionPlan() {}

  /**
   * @param desiredServing serving pods the fleet should have, as last decided
   * @param maxUnavailable spec.disruption.maxUnavailable
   * @param serving the fleet's serving pods, as the budget's selector sees them
   */
  static int minAvailable(int desiredServing, int maxUnavailable, Collection<Pod> serving) {
    long unplaceable = serving.stream().filter(DisruptionPlan::unschedulable).count();
    return (int) Math.max(0, desiredServing - maxUnavailable - unplaceable);
  }

  /** Pending because no node can take it: kube-scheduler's PodScheduled=False, Unschedulable. */
  static boolean unschedulable(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && "Pending".equals(pod.getStatus().getPhase())
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()));
  }
}
