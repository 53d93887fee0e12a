package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changing a fleet's ports rolls its pods; until the old ones leave, the Service must still reach
 * them on the client port they listen on, and the operator must still scrape and drain them on the
 * admin port they were created with.
 */
@ExtendWith(ControlPlaneExtension.class)
class PortChangesTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  @Test
  void theServiceTargetsTheNamedClientPortSoOldPodsKeepTheirsDuringARollout(
      ControlPlane controlPlane) {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "ports-client", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "web", redis.address(), FleetYaml.MANUAL, "replicas: 1\n" + FleetYaml.QUICK_DRAIN));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("web").size() == 1);
      Pod old = h.servingPods("web").get(0);

      h.editFleet(
          "web",
          f -> {
            f.getSpec().getTemplate().setClientPort(18081);
            return f;
          });
      await("a replacement listening on 18081")
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.pods("web").stream().anyMatch(p -> wsPort(p) == 18081));

      Service service = h.admin.services().inNamespace(h.namespace).withName("web").get();
      IntOrString target = service.getSpec().getPorts().get(0).getTargetPort();
      System.out.println("Service targetPort after the clientPort change: " + target);
      // A number would send every client to 18081 at once, where the old pods do not listen.
      assertThat(target).isEqualTo(new IntOrString("ws"));
      assertThat(wsPort(old)).isEqualTo(FleetYaml.CLIENT_PORT);
    }
  }

  @Test
  void oldPodsAreScrapedAndDrainedOnTheAdminPortTheyWereCreatedWith(ControlPlane controlPlane) {
    try (FleetHarness h = new FleetHarness(controlPlane, "ports-admin", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "web", redis.address(), FleetYaml.MANUAL, "replicas: 1\n" + FleetYaml.QUICK_DRAIN));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("web").size() == 1);
      String old = h.servingPods("web").get(0).getMetadata().getName();

      h.editFleet(
          "web",
          f -> {
            f.getSpec().getTemplate().setAdminPort(19091);
            return f;
          });

      // QUICK_DRAIN's deadline is 30 s: a drain that never reached the pod would time out then.
      await("the old pod drained and deleted through its own admin port")
          .atMost(Duration.ofSeconds(25))
          .until(
              () ->
                  h.events("DrainCompleted").stream().anyMatch(e -> e.getMessage().contains(old))
                      || h.events("DrainTimedOut").stream()
                          .anyMatch(e -> e.getMessage().contains(old)));
      assertThat(h.events("DrainTimedOut")).isEmpty();
      assertThat(h.events("ScrapeFailing")).isEmpty();
      List<Pod> left = h.pods("web");
      assertThat(left).hasSize(1);
      assertThat(adminPort(left.get(0))).isEqualTo(19091);
    }
  }

  private static int wsPort(Pod pod) {
    return port(pod, "ws");
  }

  private static int adminPort(Pod pod) {
    return port(pod, "admin");
  }

  private static int port(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow();
  }
}
