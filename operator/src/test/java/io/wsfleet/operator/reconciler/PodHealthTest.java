package io.wsfleet.operator.reconciler;

import static io.wsfleet.operator.testing.FleetHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Only pods that can take clients count as capacity (issue 10, defect 9): a crash-looping pod makes
 * the fleet grow and is replaced after capacity.replaceUnreadyAfterSeconds, and a pod no node can
 * take shows in the status.
 */
@ExtendWith(ControlPlaneExtension.class)
class PodHealthTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  private final ControlPlane controlPlane;

  PodHealthTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void aCrashLoopingPodIsNoCapacityAndIsReplacedAfterItsDeadline() throws Exception {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "health-crash", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "crash",
              redis.address(),
              """
              enabled: true
              minReplicas: 2
              maxReplicas: 4
              scaleDown:
                stabilizationWindowSeconds: 600
              rebalance:
                enabled: false
              """,
              FleetYaml.QUICK_DRAIN));
      h.admin
          .resources(WebSocketFleet.class)
          .inNamespace(h.namespace)
          .withName("crash")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"capacity\":{\"replaceUnreadyAfterSeconds\":10}}}");
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("crash").size() == 2);
      List<Pod> pods = h.servingPods("crash");
      Pod busy = pods.get(0);
      String looping = pods.get(1).getMetadata().getName();
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        clients.add(h.connect(busy, FleetYaml.CLIENT_PORT));
      }

      h.kubelet.crashLoop(looping);

      await("a third pod for the 30 clients the crash-looping pod cannot carry")
          .atMost(Duration.ofSeconds(20))
          .until(() -> h.servingPods("crash").size() >= 2 && h.pods("crash").size() >= 3);
      await("the crash-looping pod replaced after 10 s")
          .atMost(Duration.ofSeconds(40))
          .until(
              () ->
                  h.pods("crash").stream().noneMatch(p -> p.getMetadata().getName().equals(looping))
                      && h.eventCount("crash", "PodUnready") >= 1);
    }
  }

  @Test
  void aPodNoNodeCanTakeIsReportedInTheStatus() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "health-sched", controlPlane.newClient())) {
      h.kubelet.noRoomForNewPods(true);
      h.apply(FleetYaml.fleet("full", redis.address(), FleetYaml.MANUAL, "replicas: 1\n"));

      await("Degraded=True PodsUnschedulable with the scheduler's message")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Condition c = condition(h.fleet("full"), "Degraded");
                return c != null
                    && "True".equals(c.getStatus())
                    && "PodsUnschedulable".equals(c.getReason());
              });
      Condition degraded = condition(h.fleet("full"), "Degraded");
      System.out.println("Degraded: " + degraded.getMessage());
      assertThat(degraded.getMessage()).contains("Insufficient cpu");
      assertThat(h.pods("full")).as("no second unschedulable pod piled on").hasSize(1);
    }
  }
}
