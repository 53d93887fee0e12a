package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.ServiceSpec;
import io.wsfleet.operator.api.WebSocketFleet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Service clients connect through. It selects serving pods only, so a pod marked draining stops
 * getting new clients at once, and it exposes the client port only: the admin port stays reachable
 * from the operator alone.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class FleetService extends CRUDKubernetesDependentResource<Service, WebSocketFleet> {

  public FleetService() {
    super(Service.class);
  }

  @Override
  protected Service desired(WebSocketFleet fleet, Context<WebSocketFleet> context) {
    ServiceSpec spec =
        Optional.ofNullable(fleet.getSpec().getService()).orElseGet(ServiceSpec::new);
    Map<String, String> labels = new LinkedHashMap<>();
    if (spec.getLabels() != null) {
      labels.putAll(spec.getLabels());
    }
    labels.putAll(FleetLabels.of(fleet));
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(fleet.getMetadata().getName())
        .withNamespace(fleet.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(spec.getAnnotations() == null ? Map.of() : spec.getAnnotations())
        .endMetadata()
        .withNewSpec()
        .withType(
            spec.getType() == null ? FleetSettings.DEFAULT_SERVICE_TYPE : spec.getType().name())
        .addToSelector(FleetLabels.FLEET, fleet.getMetadata().getName())
        .addToSelector(FleetLabels.STATE, FleetLabels.SERVING)
        .addNewPort()
        .withName("ws")
        .withProtocol("TCP")
        .withPort(Optional.ofNullable(spec.getPort()).orElse(FleetSettings.DEFAULT_SERVICE_PORT))
        // The container port's name, not its number: during a clientPort rollout each pod is
        // reached on the port it listens on, old and new alike.
        .withTargetPort(new IntOrString(PodFactory.CLIENT_PORT_NAME))
        .withNodePort(spec.getNodePort())
        .endPort()
        .endSpec()
        .build();
  }
}
