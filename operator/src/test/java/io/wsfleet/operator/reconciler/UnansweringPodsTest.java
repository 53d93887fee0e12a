package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import io.wsfleet.operator.testing.SilentServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods whose admin port accepts connections and never answers (a real socket, as behind a
 * blackholing network) must cost the operator nothing but their own samples: other fleets are still
 * scraped on time, and the reconcile that drains them does not wait on their answers.
 */
@ExtendWith(ControlPlaneExtension.class)
class UnansweringPodsTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  /** Long enough that waiting on one call would show; the operator's default is 2 s. */
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(20);

  @Test
  void aFleetWithAPodThatNeverAnswersDoesNotDelayAnotherFleetsScrapes(ControlPlane controlPlane)
      throws Exception {
    try (FleetHarness h = harness(controlPlane, "silent-scrape")) {
      h.apply(FleetYaml.fleet("stuck", redis.address(), FleetYaml.MANUAL, "replicas: 1\n"));
      h.apply(FleetYaml.fleet("lively", redis.address(), FleetYaml.MANUAL, "replicas: 1\n"));
      await("both fleets serving")
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.servingPods("stuck").size() == 1 && h.servingPods("lively").size() == 1);

      SilentServer silent =
          h.kubelet.blackhole(h.servingPods("stuck").get(0).getMetadata().getName());
      await("a scrape of stuck waiting on the silent socket")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !silent.requests().isEmpty());
      Instant waitingSince = silent.requests().get(0).at();

      Pod pod = h.servingPods("lively").get(0);
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        clients.add(h.connect(pod, FleetYaml.CLIENT_PORT));
      }
      // A scrape round that waited on stuck's pod could not report before ADMIN_TIMEOUT.
      await("lively's status counts its 3 clients while stuck's scrape is unanswered")
          .atMost(ADMIN_TIMEOUT.dividedBy(2))
          .until(() -> connections(h.fleet("lively")) == 3);
      System.out.println(
          "lively saw 3 connections "
              + Duration.between(waitingSince, Instant.now()).toMillis()
              + " ms after stuck's first unanswered scrape; silent requests so far: "
              + silent.requests().size());
    }
  }

  @Test
  void drainingPodsThatNeverAnswerDoesNotHoldTheReconcileOnEachCall(ControlPlane controlPlane)
      throws Exception {
    try (FleetHarness h = harness(controlPlane, "silent-drain")) {
      h.apply(
          FleetYaml.fleet(
              "shrink",
              redis.address(),
              FleetYaml.MANUAL,
              "replicas: 3\n" + FleetYaml.QUICK_DRAIN));
      await("3 pods serving")
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.servingPods("shrink").size() == 3);
      List<SilentServer> silents = new ArrayList<>();
      for (Pod pod : h.servingPods("shrink")) {
        silents.add(h.kubelet.blackhole(pod.getMetadata().getName()));
      }

      h.editFleet(
          "shrink",
          f -> {
            f.getSpec().setReplicas(1);
            return f;
          });

      await("two drain requests sent")
          .atMost(Duration.ofSeconds(30))
          .until(() -> drainRequests(silents).size() == 2);
      List<Instant> sent = drainRequests(silents);
      Duration apart = Duration.between(sent.get(0), sent.get(1)).abs();
      System.out.println("the two drain requests arrived " + apart.toMillis() + " ms apart");
      // Had the reconcile waited on the first call, the second could not leave before the first
      // call gave up (the operator's 3 s cap, or the client timeout).
      assertThat(apart).isLessThan(Duration.ofSeconds(2));
      List<Pod> draining =
          h.pods("shrink").stream()
              .filter(p -> FleetLabels.DRAINING.equals(FleetPods.label(p, FleetLabels.STATE)))
              .toList();
      assertThat(draining).hasSize(2);
      for (Pod p : draining) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        assertThat(a).containsKey(DrainState.STARTED_AT);
        assertThat(a.get(DrainState.REQUESTED)).isEqualTo("false");
      }
    }
  }

  private static FleetHarness harness(ControlPlane controlPlane, String namespace) {
    return new FleetHarness(controlPlane, namespace, controlPlane.newClient(), null, ADMIN_TIMEOUT);
  }

  private static List<Instant> drainRequests(List<SilentServer> silents) {
    return silents.stream()
        .flatMap(s -> s.requests().stream())
        .filter(r -> r.line().startsWith("POST /admin/drain"))
        .map(SilentServer.Request::at)
        .sorted()
        .toList();
  }

  private static long connections(WebSocketFleet fleet) {
    return Optional.ofNullable(fleet.getStatus()).map(s -> s.getConnections()).orElse(-1L);
  }
}
