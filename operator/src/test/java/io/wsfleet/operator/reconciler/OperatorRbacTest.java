package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the operator as its ServiceAccount, with exactly the RBAC of manifests/operator, through a
 * whole life cycle: a missing verb fails here, not on a user's cluster.
 */
@ExtendWith(ControlPlaneExtension.class)
class OperatorRbacTest {

  private static final String SERVICE_ACCOUNT =
      "system:serviceaccount:wsfleet-system:wsfleet-operator";

  @Test
  void theOperatorRunsAFleetWithTheManifestsPermissionsOnly(ControlPlane controlPlane)
      throws Exception {
    for (String file :
        new String[] {
          "00-namespace.yaml",
          "01-serviceaccount.yaml",
          "02-clusterrole.yaml",
          "03-clusterrolebinding.yaml",
          "04-leader-election-role.yaml"
        }) {
      Command.Result applied = controlPlane.kubectl("apply", "-f", "manifests/operator/" + file);
      assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    }
    Command.Result denied =
        controlPlane.kubectl(
            "auth", "can-i", "delete", "websocketfleets.wsfleet.io", "--as", SERVICE_ACCOUNT);
    assertThat(denied.stdout().trim()).isEqualTo("no");

    Config config;
    try (KubernetesClient admin = controlPlane.newClient()) {
      config = new io.fabric8.kubernetes.client.ConfigBuilder(admin.getConfiguration()).build();
    }
    config.setImpersonateUsername(SERVICE_ACCOUNT);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:wsfleet-system", "system:authenticated");
    try (RedisServer redis = RedisServer.start();
        KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build();
        FleetHarness h =
            new FleetHarness(controlPlane, "rbac-fleets", asOperator, "wsfleet-system")) {
      h.apply(
          FleetYaml.fleet(
              "guarded",
              redis.address(),
              FleetYaml.MANUAL,
              "replicas: 2\n" + FleetYaml.QUICK_DRAIN));
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  h.servingPods("guarded").size() == 2
                      && h.fleet("guarded").getStatus() != null
                      && Integer.valueOf(2)
                          .equals(h.fleet("guarded").getStatus().getReadyReplicas()));
      assertThat(
              h.kubectl(controlPlane, "scale", "wsfleet", "guarded", "--replicas", "1").exitCode())
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
          .isEqualTo("test-rbac-fleets");
    }
  }
}
