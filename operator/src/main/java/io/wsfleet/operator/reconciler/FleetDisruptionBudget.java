package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.policy.ScalingSettings;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets node drains evict spec.disruption.maxUnavailable serving pods of the fleet at a time (see
 * {@link DisruptionPlan}); each evicted server then drains itself within its grace period. The
 * operator's own scale-downs delete pods and are not evictions, so the budget never blocks them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class FleetDisruptionBudget
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, WebSocketFleet> {

  private static final Logger LOG = LoggerFactory.getLogger(FleetDisruptionBudget.class);

  /** A pod that runs but is not ready serves no clients: evicting it never needs the budget. */
  static final String ALWAYS_ALLOW = "AlwaysAllow";

  private static final String LOGGED = "disruption-budget-logged";

  public FleetDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(WebSocketFleet fleet, Context<WebSocketFleet> context) {
    List<Pod> serving =
        context.getSecondaryResources(Pod.class).stream()
            .filter(p -> FleetLabels.SERVING.equals(FleetPods.label(p, FleetLabels.STATE)))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .toList();
    int desired = desiredServing(fleet);
    int maxUnavailable = FleetSettings.maxUnavailable(fleet);
    int minAvailable = DisruptionPlan.minAvailable(desired, maxUnavailable, serving);
    logChange(fleet, context, minAvailable, desired, maxUnavailable);
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(fleet.getMetadata().getName())
        .withNamespace(fleet.getMetadata().getNamespace())
        .withLabels(FleetLabels.of(fleet))
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(new IntOrString(minAvailable))
        .withUnhealthyPodEvictionPolicy(ALWAYS_ALLOW)
        .withNewSelector()
        .addToMatchLabels(FleetLabels.FLEET, fleet.getMetadata().getName())
        .addToMatchLabels(FleetLabels.STATE, FleetLabels.SERVING)
        .endSelector()
        .endSpec()
        .build();
  }

  /** The last decision in the status; before the first, what the spec asks for. */
  private static int desiredServing(WebSocketFleet fleet) {
    if (fleet.getStatus() != null && fleet.getStatus().getDesiredReplicas() != null) {
      return fleet.getStatus().getDesiredReplicas();
    }
    ScalingSettings s = ScalingSettings.from(fleet.getSpec());
    return s.enabled() ? s.minReplicas() : s.replicas();
  }

  private static void logChange(
      WebSocketFleet fleet,
      Context<WebSocketFleet> context,
      int minAvailable,
      int desired,
      int maxUnavailable) {
    Integer before =
        context
            .getSecondaryResource(PodDisruptionBudget.class)
            .map(PodDisruptionBudget::getSpec)
            .map(s -> s.getMinAvailable())
            .map(IntOrString::getIntVal)
            .orElse(null);
    // JOSDK computes the desired state more than once per reconcile: log the change once.
    var once = context.managedWorkflowAndDependentResourceContext();
    if (!Optional.ofNullable(before).equals(Optional.of(minAvailable))
        && once.get(LOGGED, Boolean.class).isEmpty()) {
      once.put(LOGGED, Boolean.TRUE);
      LOG.info(
          "event=disruption-budget fleet={}/{} minAvailable={} was={} desired={}"
              + " maxUnavailable={}",
          fleet.getMetadata().getNamespace(),
          fleet.getMetadata().getName(),
          minAvailable,
          before,
          desired,
          maxUnavailable);
    }
  }
}
