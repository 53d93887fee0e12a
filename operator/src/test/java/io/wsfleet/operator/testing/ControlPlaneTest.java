package io.wsfleet.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local control plane is real: RBAC, versions, and controllers that act on their own. */
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneTest {

  private static final String NAMESPACE = "control-plane";

  @Test
  void serverRunsThePinnedVersion(ControlPlane controlPlane) {
    Command.Result version = controlPlane.kubectl("version", "-o", "json");

    assertThat(version.exitCode()).as(version.stderr()).isZero();
    assertThat(version.stdout()).contains("\"gitVersion\": \"v1.34.");
  }

  @Test
  void endpointSliceControllerListsReadyPodsOfAService(ControlPlane controlPlane) {
    try (KubernetesClient client = controlPlane.newClient()) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      client
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("echo")
                  .withNamespace(NAMESPACE)
                  .endMetadata()
                  .withNewSpec()
                  .addToSelector("app", "echo")
                  .addNewPort()
                  .withPort(80)
                  .withNewTargetPort(8080)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      Pod pod =
          client
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("echo-1")
                      .withNamespace(NAMESPACE)
                      .addToLabels("app", "echo")
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName(ControlPlane.NODE_NAME)
                      .addNewContainer()
                      .withName("echo")
                      .withImage("echo:1")
                      .endContainer()
                      .endSpec()
                      .build())
              .create();
      // No kubelet here: the test reports the pod running and ready, as a kubelet would. The
      // address is an API object only, never dialled; EndpointSlices refuse loopback addresses.
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
              .withPhase("Running")
              .withPodIP("10.244.0.42")
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .endCondition()
              .build());
      client.resource(pod).updateStatus();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .discovery()
                              .v1()
                              .endpointSlices()
                              .inNamespace(NAMESPACE)
                              .withLabel("kubernetes.io/service-name", "echo")
                              .list()
                              .getItems()
                              .stream()
                              .flatMap(
                                  slice ->
                                      java.util.Objects.requireNonNullElse(
                                          slice.getEndpoints(), java.util.List.<Endpoint>of())
                                          .stream())
                              .map(Endpoint::getAddresses)
                              .toList())
                      .as("kube-controller-manager log:\n%s", controlPlane.controllerManagerLog())
                      .containsExactly(java.util.List.of("10.244.0.42")));
    }
  }
}
