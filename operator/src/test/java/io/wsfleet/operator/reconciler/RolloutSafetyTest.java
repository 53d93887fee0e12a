package io.wsfleet.operator.reconciler;

import static io.wsfleet.operator.testing.FleetHarness.condition;
import static io.wsfleet.operator.testing.FleetHarness.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.api.FleetPodTemplate;
import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FakeKubelet;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rollouts with an availability gate (issue 10, defects 4, 13 and 14): a replacement must stay
 * ready before the pod it replaces drains, a stuck one gives way to a fixed template, maxSurge
 * bounds the rollout drains in flight, label edits need no new pods, and a scale-down during a
 * rollout removes old-template pods first.
 */
@ExtendWith(ControlPlaneExtension.class)
class RolloutSafetyTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  private static final String IMAGE = "wsfleet/ws-node:test";
  private static final String ROLLOUT =
      """
      rollout:
        maxSurge: 1
        minReadySeconds: 3
        progressDeadlineSeconds: 10
      """;

  private final ControlPlane controlPlane;

  RolloutSafetyTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  private String fleet(String name, int replicas, String extra) {
    return FleetYaml.fleet(
        name,
        redis.address(),
        FleetYaml.MANUAL,
        "replicas: " + replicas + "\n" + ROLLOUT + FleetYaml.QUICK_DRAIN + extra);
  }

  @Test
  void aReplacementThatCrashLoopsAfterBeingReadyHaltsTheRolloutAndIsReported() {
    try (FleetHarness h = new FleetHarness(controlPlane, "roll-crash", controlPlane.newClient())) {
      h.apply(fleet("crash", 3, ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("crash").size() == 3);
      List<String> original = names(h.pods("crash"));

      image(h, "crash", "wsfleet/ws-node" + FakeKubelet.CRASHES_WHEN_READY);

      await("Progressing=False ProgressDeadlineExceeded")
          .atMost(Duration.ofSeconds(40))
          .until(
              () -> {
                Condition c = condition(h.fleet("crash"), "Progressing");
                return c != null
                    && "False".equals(c.getStatus())
                    && "ProgressDeadlineExceeded".equals(c.getReason());
              });
      List<Pod> serving = h.pods("crash");
      assertThat(names(serving))
          .as("no original pod drained for a replacement that never stayed ready")
          .containsAll(original);
      assertThat(serving)
          .filteredOn(p -> original.contains(p.getMetadata().getName()))
          .allMatch(p -> FleetLabels.SERVING.equals(label(p, FleetLabels.STATE)));
      System.out.println("Progressing: " + condition(h.fleet("crash"), "Progressing").getMessage());
    }
  }

  @Test
  void aReplacementStuckPullingItsImageGivesWayWhenTheTemplateIsFixed() {
    try (FleetHarness h = new FleetHarness(controlPlane, "roll-stuck", controlPlane.newClient())) {
      h.apply(fleet("stuck", 2, ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("stuck").size() == 2);
      image(h, "stuck", "wsfleet/ws-node" + FakeKubelet.UNPULLABLE);
      await("a replacement stuck in ImagePullBackOff")
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.pods("stuck").stream().anyMatch(p -> imageOf(p).endsWith("unpullable")));

      image(h, "stuck", IMAGE + "-fixed");

      await("every pod runs the fixed image, none is left stuck")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                List<Pod> pods = h.pods("stuck");
                return pods.size() == 2
                    && pods.stream().allMatch(p -> imageOf(p).equals(IMAGE + "-fixed"))
                    && h.servingPods("stuck").size() == 2;
              });
      assertThat(h.eventCount("stuck", "ReplacementSuperseded")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void maxSurgeOneKeepsOneRolloutDrainInFlight() throws Exception {
    try (FleetHarness h = new FleetHarness(controlPlane, "roll-surge", controlPlane.newClient())) {
      h.apply(fleet("surge", 3, ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("surge").size() == 3);
      List<TestClient> clients = new ArrayList<>();
      for (Pod pod : h.servingPods("surge")) {
        for (int i = 0; i < 30; i++) {
          clients.add(h.connect(pod, FleetYaml.CLIENT_PORT));
        }
      }
      AtomicInteger most = new AtomicInteger();
      try (Watch watch = watchRolloutDrains(h, most)) {
        image(h, "surge", IMAGE + "-v2");
        await("rollout complete")
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    h.pods("surge").size() == 3
                        && h.pods("surge").stream().allMatch(p -> imageOf(p).endsWith("-v2")));
      }
      System.out.println("most rollout drains in flight: " + most.get());
      assertThat(most.get()).isEqualTo(1);
    }
  }

  @Test
  void aLabelEditPatchesRunningPodsInsteadOfReplacingThem() {
    try (FleetHarness h = new FleetHarness(controlPlane, "roll-label", controlPlane.newClient())) {
      h.apply(fleet("label", 2, ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("label").size() == 2);
      List<String> before = names(h.pods("label"));

      h.editFleet(
          "label",
          f -> {
            f.getSpec().getTemplate().setLabels(Map.of("team", "chat"));
            f.getSpec().getTemplate().setAnnotations(Map.of("owner", "chat@example.com"));
            return f;
          });

      await("both pods carry the new label and annotation")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  h.pods("label").stream()
                      .allMatch(
                          p ->
                              "chat".equals(label(p, "team"))
                                  && "chat@example.com"
                                      .equals(p.getMetadata().getAnnotations().get("owner"))));
      assertThat(names(h.pods("label"))).as("the same pods, none replaced").isEqualTo(before);
      assertThat(h.eventCount("label", "DrainStarted")).isZero();
    }
  }

  @Test
  void aScaleDownDuringARolloutDrainsAnOldTemplatePodFirst() throws Exception {
    try (FleetHarness h = new FleetHarness(controlPlane, "roll-down", controlPlane.newClient())) {
      h.apply(fleet("down", 2, ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("down").size() == 2);
      String oldHash = label(h.pods("down").get(0), FleetLabels.TEMPLATE_HASH);
      List<TestClient> clients = new ArrayList<>();
      for (Pod pod : h.servingPods("down")) {
        for (int i = 0; i < 30; i++) {
          clients.add(h.connect(pod, FleetYaml.CLIENT_PORT));
        }
      }
      image(h, "down", IMAGE + "-v2");
      await("a new-template pod serves beside an old one")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  h.pods("down").stream()
                      .anyMatch(
                          p ->
                              FleetLabels.DRAINING.equals(label(p, FleetLabels.STATE))
                                  && oldHash.equals(label(p, FleetLabels.TEMPLATE_HASH))));

      h.editFleet(
          "down",
          f -> {
            f.getSpec().setReplicas(1);
            return f;
          });

      await("a scale-down drain started")
          .atMost(Duration.ofSeconds(20))
          .until(() -> scaleDownDrains(h).size() >= 1);
      assertThat(scaleDownDrains(h))
          .as("the pod leaving for the scale-down is an old-template one")
          .allMatch(p -> oldHash.equals(label(p, FleetLabels.TEMPLATE_HASH)));
    }
  }

  private static List<Pod> scaleDownDrains(FleetHarness h) {
    return h.pods("down").stream()
        .filter(p -> p.getMetadata().getAnnotations() != null)
        .filter(p -> "scale-down".equals(p.getMetadata().getAnnotations().get(DrainState.REASON)))
        .toList();
  }

  /** Keeps the highest number of pods seen draining for a rollout at the same time. */
  private static Watch watchRolloutDrains(FleetHarness h, AtomicInteger most) {
    Set<String> draining = ConcurrentHashMap.newKeySet();
    return h.admin
        .pods()
        .inNamespace(h.namespace)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                boolean rollout =
                    action != Action.DELETED
                        && pod.getMetadata().getDeletionTimestamp() == null
                        && FleetLabels.DRAINING.equals(label(pod, FleetLabels.STATE))
                        && pod.getMetadata().getAnnotations() != null
                        && "rollout"
                            .equals(pod.getMetadata().getAnnotations().get(DrainState.REASON));
                if (rollout) {
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

  private static void image(FleetHarness h, String fleet, String image) {
    h.editFleet(
        fleet,
        f -> {
          if (f.getSpec().getTemplate() == null) {
            f.getSpec().setTemplate(new FleetPodTemplate());
          }
          f.getSpec().getTemplate().setImage(image);
          return f;
        });
  }

  private static String imageOf(Pod pod) {
    return pod.getSpec().getContainers().get(0).getImage();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }
}
