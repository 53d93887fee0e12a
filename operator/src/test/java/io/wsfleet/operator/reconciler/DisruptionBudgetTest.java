package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet's PodDisruptionBudget against the real Eviction API and disruption controller: node
 * drains evict serving pods maxUnavailable at a time, and a pod that no node has room for does not
 * hold every drain up.
 */
@ExtendWith(ControlPlaneExtension.class)
class DisruptionBudgetTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();
  private final ControlPlane controlPlane;

  DisruptionBudgetTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void drainsEvictOnePodAtATimeAndAnUnschedulablePodDoesNotBlockThem() {
    try (FleetHarness h = new FleetHarness(controlPlane, "pdb-pending", controlPlane.newClient())) {
      h.apply(FleetYaml.fleet("budget", redis.address(), FleetYaml.MANUAL, "replicas: 3\n"));
      awaitReady(h, "budget", 3);
      // One at a time: of three ready pods, a drain may evict one, then waits for its replacement.
      awaitAllowed(h, "budget", 1);

      // The cluster is full: a fourth pod cannot be placed anywhere.
      h.kubelet.noRoomForNewPods(true);
      Command.Result scaled =
          h.kubectl(controlPlane, "scale", "wsfleet", "budget", "--replicas", "4");
      assertThat(scaled.exitCode()).as(scaled.stderr()).isZero();
      await("a Pending, unschedulable fourth pod")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  h.pods("budget").stream()
                      .anyMatch(
                          p ->
                              "Pending".equals(p.getStatus().getPhase())
                                  && p.getStatus().getConditions() != null
                                  && !p.getStatus().getConditions().isEmpty()));
      awaitAllowed(h, "budget", 1);
      assertThat(evict(h, h.servingPods("budget").get(0)))
          .as("a node drain evicts a ready pod next to an unschedulable one")
          .isTrue();
      // A pod that runs but is not ready holds no clients: evicting it never needs the budget.
      assertThat(pdb(h, "budget").getSpec().getUnhealthyPodEvictionPolicy())
          .isEqualTo("AlwaysAllow");
    }
  }

  @Test
  void maxUnavailableComesFromTheFleetSpec() {
    try (FleetHarness h = new FleetHarness(controlPlane, "pdb-config", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "wide",
              redis.address(),
              FleetYaml.MANUAL,
              "replicas: 3\ndisruption:\n  maxUnavailable: 2\n"));
      awaitReady(h, "wide", 3);
      awaitAllowed(h, "wide", 2);
      Command.Result patched =
          h.kubectl(
              controlPlane,
              "patch",
              "wsfleet",
              "wide",
              "--type",
              "merge",
              "-p",
              "{\"spec\":{\"disruption\":{\"maxUnavailable\":1}}}");
      assertThat(patched.exitCode()).as(patched.stderr()).isZero();
      awaitAllowed(h, "wide", 1);
    }
  }

  /**
   * One eviction, as a node drain asks for it: true if the budget allowed it. Fabric8 retries a 429
   * with backoff by default, which would wait for the budget instead of reporting its answer.
   */
  private static boolean evict(FleetHarness h, Pod pod) {
    Config once =
        new ConfigBuilder(h.admin.getConfiguration()).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
      return client.pods().inNamespace(h.namespace).withName(pod.getMetadata().getName()).evict();
    }
  }

  private static void awaitReady(FleetHarness h, String fleet, int pods) {
    await(pods + " ready serving pods of " + fleet)
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                h.servingPods(fleet).size() == pods
                    && h.fleet(fleet).getStatus() != null
                    && Integer.valueOf(pods).equals(h.fleet(fleet).getStatus().getReadyReplicas()));
  }

  /** Waits until the disruption controller has computed this many allowed disruptions. */
  private static void awaitAllowed(FleetHarness h, String fleet, int allowed) {
    AtomicReference<String> shown = new AtomicReference<>("");
    await("the budget of " + fleet + " allows " + allowed + " disruption(s)")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              PodDisruptionBudget pdb = pdb(h, fleet);
              if (pdb == null || pdb.getStatus() == null) {
                return false;
              }
              var status = pdb.getStatus();
              String line =
                  String.format(
                      "pdb %s: spec minAvailable=%s maxUnavailable=%s; status currentHealthy=%s"
                          + " desiredHealthy=%s expectedPods=%s disruptionsAllowed=%s",
                      fleet,
                      pdb.getSpec().getMinAvailable(),
                      pdb.getSpec().getMaxUnavailable(),
                      status.getCurrentHealthy(),
                      status.getDesiredHealthy(),
                      status.getExpectedPods(),
                      status.getDisruptionsAllowed());
              if (!line.equals(shown.getAndSet(line))) {
                System.out.println(line);
              }
              return pdb.getMetadata().getGeneration().equals(status.getObservedGeneration())
                  && Integer.valueOf(allowed).equals(status.getDisruptionsAllowed());
            });
  }

  private static PodDisruptionBudget pdb(FleetHarness h, String fleet) {
    return h.admin
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace(h.namespace)
        .withName(fleet)
        .get();
  }
}
