package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The autoscaler owns spec.replicas as HPA owns a Deployment's: it writes its decision there, so
 * turning autoscaling off keeps the fleet's size, and a scale by someone else is reported, then
 * overwritten.
 */
@ExtendWith(ControlPlaneExtension.class)
class AutoscalingHandOverTest {

  /** Autoscaling that holds three idle pods (minReplicas), so the size is known without load. */
  private static final String THREE_AT_LEAST =
      """
      enabled: true
      minReplicas: 3
      maxReplicas: 4
      scaleDown:
        stabilizationWindowSeconds: 1
      """;

  @RegisterExtension static final ClassRedis redis = new ClassRedis();
  private final ControlPlane controlPlane;

  AutoscalingHandOverTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void turningAutoscalingOffKeepsTheAutoscaledSizeWithoutADrain() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "handover-off", controlPlane.newClient())) {
      h.apply(FleetYaml.fleet("kept", redis.address(), THREE_AT_LEAST, FleetYaml.QUICK_DRAIN));
      awaitThreeReady(h, "kept");

      h.editFleet(
          "kept",
          f -> {
            f.getSpec().getAutoscaling().setEnabled(false);
            return f;
          });

      await("manual mode seen by the operator")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  h.fleet("kept").getStatus().getConditions().stream()
                      .anyMatch(
                          c ->
                              "Scaling".equals(c.getType())
                                  && c.getMessage().startsWith("autoscaling off")));
      await("three pods, none drained, after autoscaling is off")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(6))
          .until(() -> h.servingPods("kept").size() == 3 && h.events("DrainStarted").isEmpty());
      WebSocketFleet fleet = h.fleet("kept");
      System.out.println(
          "after autoscaling off: spec.replicas="
              + fleet.getSpec().getReplicas()
              + " pods="
              + h.pods("kept").size()
              + " desired="
              + fleet.getStatus().getDesiredReplicas());
      assertThat(fleet.getSpec().getReplicas()).isEqualTo(3);
      assertThat(fleet.getStatus().getDesiredReplicas()).isEqualTo(3);
    }
  }

  @Test
  void aScaleWhileAutoscalingIsOnIsReportedAndOverwrittenByTheAutoscaler() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "handover-scale", controlPlane.newClient())) {
      h.apply(FleetYaml.fleet("owned", redis.address(), THREE_AT_LEAST, FleetYaml.QUICK_DRAIN));
      awaitThreeReady(h, "owned");

      Command.Result scaled =
          h.kubectl(controlPlane, "scale", "wsfleet", "owned", "--replicas", "1");
      assertThat(scaled.exitCode()).as(scaled.stderr()).isZero();

      await("a ScaleIgnored event on owned")
          .atMost(Duration.ofSeconds(20))
          .until(() -> !scaleIgnored(h).isEmpty());
      String message = scaleIgnored(h).get(0).getMessage();
      System.out.println("ScaleIgnored: " + message);
      assertThat(scaleIgnored(h).get(0).getType()).isEqualTo("Warning");
      assertThat(message)
          .contains("spec.replicas was set to 1")
          .contains("autoscaling is on")
          .contains("3")
          .contains("autoscaling\":{\"enabled\":false}");
      await("spec.replicas back at the autoscaler's decision")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Integer.valueOf(3).equals(h.fleet("owned").getSpec().getReplicas()));
      await("the fleet keeps its three pods")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> h.servingPods("owned").size() == 3 && h.events("DrainStarted").isEmpty());
      assertThat(scaleIgnored(h)).hasSize(1);
    }
  }

  private static void awaitThreeReady(FleetHarness h, String name) {
    await("three autoscaled pods ready")
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                h.servingPods(name).size() == 3
                    && h.fleet(name).getStatus() != null
                    && Integer.valueOf(3).equals(h.fleet(name).getStatus().getReadyReplicas()));
  }

  private static List<Event> scaleIgnored(FleetHarness h) {
    return h.events("ScaleIgnored");
  }
}
