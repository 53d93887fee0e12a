package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scrape failures are counted per fleet: one fleet's scrape round must not reset the count of
 * another fleet's unreachable pod, or ScrapeFailing never fires once a namespace holds two fleets.
 */
@ExtendWith(ControlPlaneExtension.class)
class ScrapeFailingPerFleetTest {

  @Test
  void aFleetWhosePodStopsAnsweringIsDegradedWhileItsNeighbourStaysAsExpected(
      ControlPlane controlPlane) throws Exception {
    try (RedisServer redis = RedisServer.start();
        FleetHarness h = new FleetHarness(controlPlane, "scrape-two", controlPlane.newClient())) {
      h.apply(FleetYaml.fleet("healthy", redis.address(), FleetYaml.MANUAL, "replicas: 1\n"));
      h.apply(FleetYaml.fleet("blind", redis.address(), FleetYaml.MANUAL, "replicas: 1\n"));
      await("both fleets serving, blind AsExpected")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  h.servingPods("healthy").size() == 1
                      && h.servingPods("blind").size() == 1
                      && "AsExpected".equals(reason(h.fleet("blind"), "Degraded")));

      String silent = h.servingPods("blind").get(0).getMetadata().getName();
      h.kubelet.crashQuietly(silent);

      await("a ScrapeFailing event on fleet blind")
          .atMost(Duration.ofSeconds(20))
          .until(() -> !events(h, "blind", "ScrapeFailing").isEmpty());
      assertThat(events(h, "blind", "ScrapeFailing").get(0).getMessage()).contains(silent);
      await("blind Degraded with reason ScrapeFailing")
          .atMost(Duration.ofSeconds(10))
          .until(() -> "ScrapeFailing".equals(reason(h.fleet("blind"), "Degraded")));
      Condition degraded = condition(h.fleet("blind"), "Degraded");
      System.out.println("blind Degraded: " + degraded.getStatus() + " " + degraded.getMessage());
      assertThat(degraded.getStatus()).isEqualTo("True");
      assertThat(degraded.getMessage()).contains(silent);

      await("healthy stays Degraded=False AsExpected")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  "False".equals(condition(h.fleet("healthy"), "Degraded").getStatus())
                      && "AsExpected".equals(reason(h.fleet("healthy"), "Degraded"))
                      && events(h, "healthy", "ScrapeFailing").isEmpty());
    }
  }

  private static List<Event> events(FleetHarness h, String fleet, String reason) {
    return h.events(reason).stream()
        .filter(e -> fleet.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static String reason(WebSocketFleet fleet, String type) {
    Condition c = condition(fleet, type);
    return c == null ? null : c.getReason();
  }

  private static Condition condition(WebSocketFleet fleet, String type) {
    if (fleet == null || fleet.getStatus() == null) {
      return null;
    }
    return fleet.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
