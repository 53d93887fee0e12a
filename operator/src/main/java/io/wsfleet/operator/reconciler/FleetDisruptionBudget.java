package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.wsfleet.operator.api.WebSocketFleet;

/**
 * Lets node drains evict one serving pod of the fleet at a time; each evicted server then drains
 * itself within its grace period. The operator's own scale-downs delete pods and are not evictions,
 * so the budget never blocks them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class FleetDisruptionBudget
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, WebSocketFleet> {

  public FleetDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(WebSocketFleet fleet, Context<WebSocketFleet> context) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(fleet.getMetadata().getName())
        .withNamespace(fleet.getMetadata().getNamespace())
        .withLabels(FleetLabels.of(fleet))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .addToMatchLabels(FleetLabels.FLEET, fleet.getMetadata().getName())
        .addToMatchLabels(FleetLabels.STATE, FleetLabels.SERVING)
        .endSelector()
        .endSpec()
        .build();
  }
}
