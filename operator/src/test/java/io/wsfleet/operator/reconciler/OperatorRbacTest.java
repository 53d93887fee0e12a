package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the operator as its ServiceAccount, with exactly the RBAC of one install variant, through a
 * whole life cycle, then checks that what the variant does not need is refused: a missing verb
 * fails here, not on a user's cluster, and an extra one fails here too. The API server enforces
 * OwnerReferencesPermissionEnforcement, as OpenShift does.
 */
@ExtendWith(ControlPlaneExtension.class)
class OperatorRbacTest {

  private static final String SERVICE_ACCOUNT =
      "system:serviceaccount:wsfleet-system:wsfleet-operator";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The namespace manifests/operator-namespaced/ grants the operator. */
  private static final String WATCHED = "chat";

  @Test
  void theClusterWideVariantRunsAFleetWithItsPermissionsOnly(ControlPlane controlPlane)
      throws Exception {
    for (String file :
        new String[] {
          "00-namespace.yaml",
          "01-serviceaccount.yaml",
          "02-clusterrole.yaml",
          "03-clusterrolebinding.yaml",
          "04-leader-election-role.yaml"
        }) {
      succeeds(controlPlane.kubectl("apply", "-f", "manifests/operator/" + file));
    }
    try (RedisServer redis = RedisServer.start();
        KubernetesClient asOperator = asOperator(controlPlane);
        FleetHarness h =
            new FleetHarness(controlPlane, "rbac-fleets", asOperator, "wsfleet-system", Set.of())) {
      runALifeCycle(controlPlane, h, redis);

      Secret token = tokenSecret(h, "guarded");
      Secret other = h.admin.secrets().inNamespace(h.namespace).resource(secret("other")).create();
      refused(() -> asOperator.resource(other).delete());
      refused(() -> asOperator.resource(token).update());
      refused(() -> asOperator.resource(token).delete());
      refused(() -> asOperator.configMaps().inAnyNamespace().list());
      refused(() -> asOperator.services().inNamespace(h.namespace).withName("guarded").delete());
      refused(
          () ->
              asOperator
                  .resources(WebSocketFleet.class)
                  .inNamespace(h.namespace)
                  .withName("guarded")
                  .delete());
      refused(
          () ->
              asOperator
                  .pods()
                  .inNamespace(h.namespace)
                  .resource(h.pods("guarded").get(0))
                  .update());
    } finally {
      controlPlane.kubectl(
          "delete", "clusterrolebinding", "wsfleet-operator", "--ignore-not-found");
    }
  }

  @Test
  void theNamespacedVariantRunsAFleetInItsNamespaceAndNothingElse(ControlPlane controlPlane)
      throws Exception {
    try (KubernetesClient admin = controlPlane.newClient()) {
      for (String ns : List.of(WATCHED, "rbac-unwatched")) {
        if (admin.namespaces().withName(ns).get() == null) {
          admin
              .namespaces()
              .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
              .create();
        }
      }
      admin.secrets().inNamespace("rbac-unwatched").resource(secret("elsewhere")).create();
    }
    succeeds(
        controlPlane.kubectl(
            "delete", "clusterrolebinding", "wsfleet-operator", "--ignore-not-found"));
    // The install that manifests/operator-namespaced/00-watched-namespaces.yaml describes.
    succeeds(
        controlPlane.kubectl(
            "apply",
            "-f",
            "manifests/operator/00-namespace.yaml",
            "-f",
            "manifests/operator/01-serviceaccount.yaml",
            "-f",
            "manifests/operator/02-clusterrole.yaml",
            "-f",
            "manifests/operator/04-leader-election-role.yaml",
            "-f",
            "manifests/operator-namespaced/"));
    JsonNode env =
        YAML.readTree(
                controlPlane
                    .repositoryRoot()
                    .resolve("manifests/operator/05-deployment.yaml")
                    .toFile())
            .at("/spec/template/spec/containers/0/env");
    JsonNode watchSetting = null;
    for (JsonNode e : env) {
      if (e.path("name").asText().equals("WSFLEET_WATCH_NAMESPACES")) {
        watchSetting = e.at("/valueFrom/configMapKeyRef");
      }
    }
    assertThat(watchSetting).as("WSFLEET_WATCH_NAMESPACES from a ConfigMap").isNotNull();
    String watched;
    try (KubernetesClient admin = controlPlane.newClient()) {
      watched =
          admin
              .configMaps()
              .inNamespace("wsfleet-system")
              .withName(watchSetting.path("name").asText())
              .get()
              .getData()
              .get(watchSetting.path("key").asText());
    }
    assertThat(watched).isEqualTo(WATCHED);

    try (RedisServer redis = RedisServer.start();
        KubernetesClient asOperator = asOperator(controlPlane);
        FleetHarness h =
            new FleetHarness(
                controlPlane, WATCHED, asOperator, "wsfleet-system", Set.of(WATCHED))) {
      runALifeCycle(controlPlane, h, redis);

      refused(() -> asOperator.secrets().inNamespace("rbac-unwatched").list());
      refused(() -> asOperator.secrets().inNamespace("rbac-unwatched").withName("elsewhere").get());
      refused(() -> asOperator.secrets().inAnyNamespace().list());
      refused(() -> asOperator.pods().inAnyNamespace().list());
      refused(
          () ->
              asOperator
                  .pods()
                  .inNamespace("rbac-unwatched")
                  .resource(
                      new PodBuilder()
                          .withNewMetadata()
                          .withName("intruder")
                          .endMetadata()
                          .withNewSpec()
                          .addNewContainer()
                          .withName("c")
                          .withImage("busybox")
                          .endContainer()
                          .endSpec()
                          .build())
                  .create());
      refused(() -> asOperator.resources(WebSocketFleet.class).inAnyNamespace().list());
    }
  }

  /** Creates, scales down with a drain, and autoscales a fleet, all as the operator's identity. */
  private static void runALifeCycle(ControlPlane controlPlane, FleetHarness h, RedisServer redis) {
    h.apply(
        FleetYaml.fleet(
            "guarded", redis.address(), FleetYaml.MANUAL, "replicas: 2\n" + FleetYaml.QUICK_DRAIN));
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                h.servingPods("guarded").size() == 2
                    && h.fleet("guarded").getStatus() != null
                    && Integer.valueOf(2)
                        .equals(h.fleet("guarded").getStatus().getReadyReplicas()));
    assertThat(h.kubectl(controlPlane, "scale", "wsfleet", "guarded", "--replicas", "1").exitCode())
        .isZero();
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                h.pods("guarded").size() == 1
                    && !h.events("DrainCompleted").isEmpty()
                    && Integer.valueOf(1).equals(h.fleet("guarded").getStatus().getReplicas()));
    // Autoscaling on: the autoscaler writes its decision to spec.replicas (patch on the fleet).
    h.editFleet(
        "guarded",
        f -> {
          f.getSpec().getAutoscaling().setEnabled(true);
          f.getSpec().getAutoscaling().setMinReplicas(2);
          f.getSpec().getAutoscaling().setMaxReplicas(3);
          return f;
        });
    await("spec.replicas written by the autoscaler")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Integer.valueOf(2).equals(h.fleet("guarded").getSpec().getReplicas())
                    && "2"
                        .equals(
                            h.fleet("guarded")
                                .getMetadata()
                                .getAnnotations()
                                .get(FleetLabels.AUTOSCALED_REPLICAS)));
    assertThat(
            h.admin
                .leases()
                .inNamespace("wsfleet-system")
                .withName("wsfleet-operator")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("test-" + h.namespace);
  }

  /** A client that acts as the operator's ServiceAccount (impersonated by the admin client). */
  private static KubernetesClient asOperator(ControlPlane controlPlane) {
    Config config;
    try (KubernetesClient admin = controlPlane.newClient()) {
      config = new ConfigBuilder(admin.getConfiguration()).build();
    }
    config.setImpersonateUsername(SERVICE_ACCOUNT);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:wsfleet-system", "system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static Secret tokenSecret(FleetHarness h, String fleet) {
    return h.admin
        .secrets()
        .inNamespace(h.namespace)
        .withLabel(FleetLabels.FLEET, fleet)
        .list()
        .getItems()
        .get(0);
  }

  private static Secret secret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withStringData(Map.of("password", "not-the-operators"))
        .build();
  }

  private static void refused(ThrowingCallable call) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, call);
    assertThat(e).as("refused with 403").isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
  }

  private static void succeeds(Command.Result result) throws IOException {
    assertThat(result.exitCode()).as(result.stderr()).isZero();
  }
}
