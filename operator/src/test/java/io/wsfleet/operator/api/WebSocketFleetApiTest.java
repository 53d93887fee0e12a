package io.wsfleet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.crd.CrdGeneration;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The WebSocketFleet CRD on a real kube-apiserver, used through kubectl as a user would. */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketFleetApiTest {

  private static final String NAMESPACE = "fleet-api";
  private static final String REDIS = "broker: {type: Redis, redis: {address: 'redis:6379'}}";

  private final ControlPlane controlPlane;
  private final KubernetesClient client;

  WebSocketFleetApiTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = controlPlane.newClient();
  }

  @BeforeAll
  void applyCrdAsAUserWould() {
    Command.Result apply = controlPlane.kubectl("apply", "-f", "crds/" + CrdGeneration.CRD_FILE);
    assertThat(apply.exitCode()).as(apply.stderr()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              CustomResourceDefinition crd =
                  client
                      .apiextensions()
                      .v1()
                      .customResourceDefinitions()
                      .withName("websocketfleets.wsfleet.io")
                      .get();
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> c.getType().equals("Established") && c.getStatus().equals("True"));
            });
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  void closeClient() {
    client.close();
  }

  private static String fleet(String name, String spec) {
    return "apiVersion: wsfleet.io/v1alpha1\n"
        + "kind: WebSocketFleet\n"
        + "metadata: {name: "
        + name
        + ", namespace: "
        + NAMESPACE
        + "}\n"
        + "spec: {"
        + spec
        + "}\n";
  }

  private Command.Result apply(String yaml) {
    return controlPlane.kubectlWithInput(yaml, "apply", "-f", "-");
  }

  @Test
  void validFleetIsStoredWithEveryDefaultFilledIn() {
    Command.Result result = apply(fleet("minimal", ""));
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    WebSocketFleetSpec spec =
        client
            .resources(WebSocketFleet.class)
            .inNamespace(NAMESPACE)
            .withName("minimal")
            .get()
            .getSpec();
    assertThat(spec.getReplicas()).isEqualTo(1);
    assertThat(spec.getTemplate().getImage()).isEqualTo("wsfleet/ws-node:0.1.0");
    assertThat(spec.getTemplate().getClientPort()).isEqualTo(8080);
    assertThat(spec.getTemplate().getAdminPort()).isEqualTo(9090);
    assertThat(spec.getCapacity().getMaxConnectionsPerPod()).isEqualTo(10000);
    assertThat(spec.getAutoscaling().getEnabled()).isFalse();
    assertThat(spec.getAutoscaling().getMinReplicas()).isEqualTo(1);
    assertThat(spec.getAutoscaling().getMaxReplicas()).isEqualTo(10);
    assertThat(spec.getAutoscaling().getTargetConnectionsPerPod()).isEqualTo(7000);
    assertThat(spec.getAutoscaling().getScaleUp().getStabilizationWindowSeconds()).isZero();
    assertThat(spec.getAutoscaling().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
    assertThat(spec.getAutoscaling().getScaleDown().getMaxPodsPerStep()).isEqualTo(1);
    assertThat(spec.getAutoscaling().getPanic().getCapThresholdPercent()).isEqualTo(90);
    assertThat(spec.getAutoscaling().getRebalance().getEnabled()).isTrue();
    assertThat(spec.getDrain().getReconnectRatePerSecond()).isEqualTo(100);
    assertThat(spec.getDrain().getTimeoutSeconds()).isEqualTo(300);
    assertThat(spec.getDrain().getPodSelection())
        .isEqualTo(DrainSpec.PodSelection.FewestConnections);
    assertThat(spec.getBroker().getType()).isEqualTo(BrokerSpec.BrokerType.InProcess);
    assertThat(spec.getService().getType()).isEqualTo(ServiceSpec.ServiceType.ClusterIP);
    assertThat(spec.getService().getPort()).isEqualTo(80);
    assertThat(spec.getRollout().getMaxSurge()).isEqualTo(1);
  }

  @Test
  void sampleFleetFromManifestsIsAccepted() {
    Command.Result result =
        controlPlane.kubectl("apply", "-n", NAMESPACE, "-f", "manifests/sample-fleet.yaml");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    WebSocketFleetSpec spec =
        client
            .resources(WebSocketFleet.class)
            .inNamespace(NAMESPACE)
            .withName("chat")
            .get()
            .getSpec();
    assertThat(spec.getAutoscaling().getEnabled()).isTrue();
    assertThat(spec.getAutoscaling().getMinReplicas()).isEqualTo(2);
    assertThat(spec.getBroker().getRedis().getAddress()).isEqualTo("redis.messaging:6379");
  }

  @Test
  void partialObjectsKeepTheirOtherDefaults() {
    Command.Result result =
        apply(
            fleet(
                "partial",
                "autoscaling: {enabled: true, maxReplicas: 20, scaleDown: {maxPodsPerStep: 2}}, "
                    + REDIS));
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    AutoscalingSpec autoscaling =
        client
            .resources(WebSocketFleet.class)
            .inNamespace(NAMESPACE)
            .withName("partial")
            .get()
            .getSpec()
            .getAutoscaling();
    assertThat(autoscaling.getMaxReplicas()).isEqualTo(20);
    assertThat(autoscaling.getMinReplicas()).isEqualTo(1);
    assertThat(autoscaling.getScaleDown().getMaxPodsPerStep()).isEqualTo(2);
    assertThat(autoscaling.getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
  }

  static Stream<Arguments> invalidFleets() {
    return Stream.of(
        Arguments.of(
            "min above max",
            "autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}, " + REDIS,
            "autoscaling.minReplicas must be less than or equal to autoscaling.maxReplicas"),
        Arguments.of(
            "target above the cap",
            "capacity: {maxConnectionsPerPod: 500}",
            "autoscaling.targetConnectionsPerPod must not exceed capacity.maxConnectionsPerPod"),
        Arguments.of(
            "zero target",
            "autoscaling: {targetConnectionsPerPod: 0}",
            "spec.autoscaling.targetConnectionsPerPod in body should be greater than or equal to 1"),
        Arguments.of(
            "negative replicas",
            "replicas: -1",
            "spec.replicas in body should be greater than or equal to 0"),
        Arguments.of(
            "zero drain rate",
            "drain: {reconnectRatePerSecond: 0}",
            "spec.drain.reconnectRatePerSecond in body should be greater than or equal to 1"),
        Arguments.of(
            "zero drain timeout",
            "drain: {timeoutSeconds: 0}",
            "spec.drain.timeoutSeconds in body should be greater than or equal to 1"),
        Arguments.of(
            "drain timeout too short for a full pod",
            "capacity: {maxConnectionsPerPod: 10000}, drain: {reconnectRatePerSecond: 10,"
                + " timeoutSeconds: 60}",
            "drain.timeoutSeconds is too short to drain a full pod at"
                + " drain.reconnectRatePerSecond"),
        Arguments.of(
            "several pods on the in-process broker",
            "replicas: 3",
            "a fleet that can run more than one pod needs broker.type: Redis"),
        Arguments.of(
            "autoscaling on the in-process broker",
            "autoscaling: {enabled: true}",
            "a fleet that can run more than one pod needs broker.type: Redis"),
        Arguments.of(
            "Redis broker without an address",
            "broker: {type: Redis}",
            "broker.redis.address (host:port) is required when broker.type is Redis"),
        Arguments.of(
            "Redis address without a port",
            "broker: {type: Redis, redis: {address: redis}}",
            "spec.broker.redis.address in body should match"),
        Arguments.of(
            "admin port shared with clients",
            "template: {clientPort: 9090}",
            "template.clientPort and template.adminPort must differ"),
        Arguments.of(
            "node port on a ClusterIP Service",
            "service: {nodePort: 30080}",
            "service.nodePort needs service.type NodePort or LoadBalancer"),
        Arguments.of(
            "unknown pod selection",
            "drain: {podSelection: Random}",
            "spec.drain.podSelection: Unsupported value: \"Random\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFleets")
  void invalidFleetIsRefusedWithTheRuleItBreaks(String title, String spec, String message) {
    Command.Result result = apply(fleet("invalid", spec));

    assertThat(result.exitCode()).as(result.stdout()).isNotZero();
    assertThat(result.stderr()).contains(message);
    assertThat(
            client.resources(WebSocketFleet.class).inNamespace(NAMESPACE).withName("invalid").get())
        .isNull();
  }

  @Test
  void nameThatCannotNameAServiceIsRefused() {
    Command.Result result = apply(fleet("1chat", ""));

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("metadata.name must be a DNS-1035 label");
  }

  @Test
  void kubectlGetShowsTheFleetColumnsInOrder() {
    assertThat(apply(fleet("shown", "replicas: 1")).exitCode()).isZero();
    WebSocketFleet fleet =
        client.resources(WebSocketFleet.class).inNamespace(NAMESPACE).withName("shown").get();
    WebSocketFleetStatus status = new WebSocketFleetStatus();
    status.setDesiredReplicas(4);
    status.setReadyReplicas(3);
    status.setDrainingReplicas(1);
    status.setReplicas(4);
    status.setConnections(12345L);
    status.setSelector("wsfleet.io/fleet=shown");
    status.setConditions(
        java.util.List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("True")
                .withReason("AllPodsReady")
                .withMessage("3 of 3 serving pods ready")
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .build()));
    fleet.setStatus(status);
    client.resource(fleet).updateStatus();

    Command.Result get = controlPlane.kubectl("get", "wsfleet", "shown", "-n", NAMESPACE);

    assertThat(get.exitCode()).as(get.stderr()).isZero();
    String[] lines = get.stdout().strip().split("\n");
    assertThat(lines[0].split("\\s+"))
        .containsExactly(
            "NAME", "DESIRED", "READY", "DRAINING", "CONNECTIONS", "TARGET/POD", "AGE");
    assertThat(lines[1].split("\\s+")).startsWith("shown", "4", "3", "1", "12345", "7000");
  }

  @Test
  void shortNamesWork() {
    assertThat(apply(fleet("short", "")).exitCode()).isZero();

    for (String name : new String[] {"wsfleet", "wsf", "websocketfleets"}) {
      Command.Result get =
          controlPlane.kubectl("get", name, "short", "-n", NAMESPACE, "-o", "name");
      assertThat(get.stdout().strip()).as(name).isEqualTo("websocketfleet.wsfleet.io/short");
    }
  }

  @Test
  void kubectlScaleChangesSpecReplicasThroughTheScaleSubresource() {
    assertThat(apply(fleet("scaled", REDIS)).exitCode()).isZero();

    Command.Result scale =
        controlPlane.kubectl("scale", "wsfleet", "scaled", "-n", NAMESPACE, "--replicas", "3");

    assertThat(scale.exitCode()).as(scale.stderr()).isZero();
    assertThat(scale.stdout()).contains("scaled");
    assertThat(
            client
                .resources(WebSocketFleet.class)
                .inNamespace(NAMESPACE)
                .withName("scaled")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }

  @Test
  void kubectlScaleIsRefusedWhenItBreaksARule() {
    assertThat(apply(fleet("alone", "")).exitCode()).isZero();

    Command.Result scale =
        controlPlane.kubectl("scale", "wsfleet", "alone", "-n", NAMESPACE, "--replicas", "3");

    assertThat(scale.exitCode()).isNotZero();
    assertThat(scale.stderr()).contains("needs broker.type: Redis");
  }

  @Test
  void kubectlExplainShowsTheFieldDescriptions() {
    Command.Result explain =
        controlPlane.kubectl("explain", "wsfleet.spec.autoscaling.targetConnectionsPerPod");

    assertThat(explain.exitCode()).as(explain.stderr()).isZero();
    assertThat(explain.stdout().replaceAll("\\s+", " "))
        .contains("Connections per serving pod the autoscaler aims for");
  }

  @Test
  void garbageCollectorRemovesWhatAFleetOwns() {
    assertThat(apply(fleet("owner", "")).exitCode()).isZero();
    WebSocketFleet owner =
        client.resources(WebSocketFleet.class).inNamespace(NAMESPACE).withName("owner").get();
    ConfigMap owned =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("owned-by-owner")
            .withNamespace(NAMESPACE)
            .addNewOwnerReference()
            .withApiVersion("wsfleet.io/v1alpha1")
            .withKind("WebSocketFleet")
            .withName("owner")
            .withUid(owner.getMetadata().getUid())
            .endOwnerReference()
            .endMetadata()
            .build();
    client.resource(owned).create();

    client.resource(owner).delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        client.configMaps().inNamespace(NAMESPACE).withName("owned-by-owner").get())
                    .as("kube-controller-manager log:\n%s", controlPlane.controllerManagerLog())
                    .isNull());
  }
}
