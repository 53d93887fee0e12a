package io.wsfleet.operator.reconciler;

import static io.wsfleet.operator.testing.FleetHarness.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Step limits hold per period and drains in flight are bounded per fleet (issue 10, defect 8), so a
 * window ending or a large kubectl scale cannot start a dozen drains within seconds.
 */
@ExtendWith(ControlPlaneExtension.class)
class ScaleStepsTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  private final ControlPlane controlPlane;

  ScaleStepsTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void aLargeScaleDownDrainsAtMostMaxConcurrentPodsAtOnce() throws Exception {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "steps-drains", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "wide",
              redis.address(),
              FleetYaml.MANUAL,
              "replicas: 4\n"
                  + """
                  drain:
                    reconnectRatePerSecond: 10
                    timeoutSeconds: 30
                    reconnectDelayMaxMillis: 200
                    maxConcurrent: 1
                  """));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("wide").size() == 4);
      List<TestClient> clients = new ArrayList<>();
      for (Pod pod : h.servingPods("wide")) {
        for (int i = 0; i < 20; i++) {
          clients.add(h.connect(pod, FleetYaml.CLIENT_PORT));
        }
      }
      AtomicInteger most = new AtomicInteger();
      try (Watch watch = watchDrains(h, most)) {
        h.editFleet(
            "wide",
            f -> {
              f.getSpec().setReplicas(1);
              return f;
            });
        await("down to one pod")
            .atMost(Duration.ofSeconds(60))
            .until(() -> h.pods("wide").size() == 1);
      }
      System.out.println("most pods draining at once: " + most.get());
      assertThat(most.get()).isEqualTo(1);
    }
  }

  @Test
  void theScaleDownStepHoldsForItsWholePeriod() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "steps-period", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "idle",
              redis.address(),
              """
              enabled: true
              minReplicas: 4
              maxReplicas: 4
              scaleDown:
                stabilizationWindowSeconds: 0
                maxPodsPerStep: 1
                periodSeconds: 60
              """,
              FleetYaml.QUICK_DRAIN + "  maxConcurrent: 4\n"));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("idle").size() == 4);
      h.editFleet(
          "idle",
          f -> {
            f.getSpec().getAutoscaling().setMinReplicas(1);
            return f;
          });

      await("the first scale-down step")
          .atMost(Duration.ofSeconds(40))
          .until(() -> h.eventCount("idle", "ScaledDown") >= 1);

      await("no second step within the period")
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(10))
          .until(() -> h.eventCount("idle", "ScaledDown") == 1);
    }
  }

  private static Watch watchDrains(FleetHarness h, AtomicInteger most) {
    Set<String> draining = ConcurrentHashMap.newKeySet();
    return h.admin
        .pods()
        .inNamespace(h.namespace)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                if (action != Action.DELETED
                    && pod.getMetadata().getDeletionTimestamp() == null
                    && FleetLabels.DRAINING.equals(label(pod, FleetLabels.STATE))) {
                  draining.add(name);
                } else {
                  draining.remove(name);
                }
                most.accumulateAndGet(draining.size(), Math::max);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }
}
