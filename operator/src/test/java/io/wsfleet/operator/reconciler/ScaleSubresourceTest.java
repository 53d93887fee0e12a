package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scale subresource an external HPA or KEDA reads: its replicas and selector are the serving
 * pods, never the draining ones on their way out.
 */
@ExtendWith(ControlPlaneExtension.class)
class ScaleSubresourceTest {

  /** Ten clients at one per second: the drain lasts about ten seconds. */
  private static final String SLOW_DRAIN =
      """
      replicas: 2
      drain:
        reconnectRatePerSecond: 1
        timeoutSeconds: 120
        reconnectDelayMaxMillis: 100
      """;

  @Test
  void theScaleSubresourceCountsAndSelectsServingPodsOnly(ControlPlane controlPlane)
      throws Exception {
    try (RedisServer redis = RedisServer.start();
        FleetHarness h =
            new FleetHarness(controlPlane, "scale-serving", controlPlane.newClient())) {
      h.apply(FleetYaml.fleet("scaled", redis.address(), FleetYaml.MANUAL, SLOW_DRAIN));
      await("two serving pods")
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.servingPods("scaled").size() == 2);
      List<Pod> pods = h.servingPods("scaled");
      Pod leaving = pods.get(0);
      Pod staying = pods.get(1);
      for (int i = 0; i < 10; i++) {
        h.connect(leaving, FleetYaml.CLIENT_PORT);
      }
      for (int i = 0; i < 12; i++) {
        h.connect(staying, FleetYaml.CLIENT_PORT);
      }
      await("a scrape that saw every client")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Long.valueOf(22).equals(h.fleet("scaled").getStatus().getConnections()));

      Command.Result scaled =
          h.kubectl(controlPlane, "scale", "wsfleet", "scaled", "--replicas", "1");
      assertThat(scaled.exitCode()).as(scaled.stderr()).isZero();
      await("one pod draining, as the status says")
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> Integer.valueOf(1).equals(h.fleet("scaled").getStatus().getDrainingReplicas()));

      Scale scale = scale(controlPlane, h);
      System.out.println(
          "scale while draining: spec.replicas="
              + scale.getSpec().getReplicas()
              + " status.replicas="
              + scale.getStatus().getReplicas()
              + " status.selector="
              + scale.getStatus().getSelector()
              + " pods="
              + h.pods("scaled").size());
      assertThat(h.pods("scaled")).hasSize(2);
      assertThat(scale.getSpec().getReplicas()).isEqualTo(1);
      assertThat(scale.getStatus().getReplicas()).as("serving pods only").isEqualTo(1);
      Command.Result selected =
          h.kubectl(
              controlPlane, "get", "pods", "-l", scale.getStatus().getSelector(), "-o", "name");
      assertThat(selected.stdout().lines().toList())
          .containsExactly("pod/" + staying.getMetadata().getName());
    }
  }

  private static Scale scale(ControlPlane controlPlane, FleetHarness h) {
    Command.Result raw =
        controlPlane.kubectl(
            "get",
            "--raw",
            "/apis/wsfleet.io/v1alpha1/namespaces/"
                + h.namespace
                + "/websocketfleets/scaled/scale");
    assertThat(raw.exitCode()).as(raw.stderr()).isZero();
    return Serialization.unmarshal(raw.stdout(), Scale.class);
  }
}
