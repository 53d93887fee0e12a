package io.wsfleet.operator.reconciler;

import static io.wsfleet.operator.testing.FleetHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the operator writes about a fleet (issue 10, defects 5, 12 and 15): a refused dependent
 * shows in the status and an event while drains go on; a steady fleet's status is not rewritten; a
 * drain completes, and a scrape streak fails, in exactly one event each.
 */
@ExtendWith(ControlPlaneExtension.class)
class StatusAndEventsTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  private static final Pattern STATUS_PATCHES =
      Pattern.compile(
          "apiserver_request_total\\{[^}]*resource=\"websocketfleets\"[^}]*subresource=\"status\""
              + "[^}]*verb=\"(?:PATCH|APPLY)\"[^}]*} (\\d+)");

  private final ControlPlane controlPlane;

  StatusAndEventsTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  @Test
  void aServiceTheApiRefusesShowsInTheStatusAndDrainsGoOn() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "status-quota", controlPlane.newClient())) {
      ResourceQuota quota =
          h.admin
              .resourceQuotas()
              .inNamespace(h.namespace)
              .resource(
                  new ResourceQuotaBuilder()
                      .withNewMetadata()
                      .withName("no-load-balancers")
                      .endMetadata()
                      .withNewSpec()
                      .withHard(Map.of("services.loadbalancers", new Quantity("0")))
                      .endSpec()
                      .build())
              .create();
      // No quota controller runs here: the status it would compute is written by hand.
      quota.setStatus(
          new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
              .withHard(Map.of("services.loadbalancers", new Quantity("0")))
              .withUsed(Map.of("services.loadbalancers", new Quantity("0")))
              .build());
      h.admin.resourceQuotas().inNamespace(h.namespace).resource(quota).updateStatus();
      h.apply(
          FleetYaml.fleet(
              "refused",
              redis.address(),
              FleetYaml.MANUAL,
              "replicas: 2\nservice:\n  type: LoadBalancer\n" + FleetYaml.QUICK_DRAIN));

      await("Degraded=True DependentFailed with the API's message")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Condition c = condition(h.fleet("refused"), "Degraded");
                return c != null && "DependentFailed".equals(c.getReason());
              });
      Condition degraded = condition(h.fleet("refused"), "Degraded");
      System.out.println("Degraded: " + degraded.getMessage());
      assertThat(degraded.getMessage()).contains("Service not written").contains("exceeded quota");
      assertThat(h.events("DependentFailed")).isNotEmpty();
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("refused").size() == 2);

      h.editFleet(
          "refused",
          f -> {
            f.getSpec().setReplicas(1);
            return f;
          });
      await("the drain still runs and completes")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  h.pods("refused").size() == 1 && h.eventCount("refused", "DrainCompleted") == 1);
    }
  }

  @Test
  void aSteadyFleetIsNotRewrittenAndEachDrainIsReportedOnce() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "status-quiet", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "quiet", redis.address(), FleetYaml.MANUAL, "replicas: 3\n" + FleetYaml.QUICK_DRAIN));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Condition ready = condition(h.fleet("quiet"), "Ready");
                return h.servingPods("quiet").size() == 3
                    && ready != null
                    && "True".equals(ready.getStatus());
              });
      long before = statusPatches(h);
      assertThat(before).as("status writes counted by the API server so far").isPositive();
      await("10 s of steady reconciles (one per second)")
          .pollDelay(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(11))
          .until(() -> true);
      long during = statusPatches(h) - before;
      System.out.println("status patches during 10 steady seconds: " + during);
      assertThat(during)
          .as("status writes (PATCH or server-side APPLY) while nothing changed")
          .isLessThanOrEqualTo(1);

      h.editFleet(
          "quiet",
          f -> {
            f.getSpec().setReplicas(1);
            return f;
          });
      await().atMost(Duration.ofSeconds(30)).until(() -> h.pods("quiet").size() == 1);
      await("two drains, two DrainCompleted events, no repeats")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(6))
          .until(() -> h.eventCount("quiet", "DrainCompleted") == 2);
    }
  }

  @Test
  void aPodThatStopsAnsweringRaisesScrapeFailingOnce() {
    try (FleetHarness h =
        new FleetHarness(controlPlane, "status-scrape", controlPlane.newClient())) {
      h.apply(FleetYaml.fleet("blind", redis.address(), FleetYaml.MANUAL, "replicas: 1\n"));
      await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("blind").size() == 1);
      h.kubelet.crashQuietly(h.servingPods("blind").get(0).getMetadata().getName());

      await("six failed scrapes in a row")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Condition c = condition(h.fleet("blind"), "Degraded");
                return c != null && c.getMessage().matches(".*\\((\\d{2,}|[6-9]) failures.*");
              });
      assertThat(h.eventCount("blind", "ScrapeFailing")).isEqualTo(1);
    }
  }

  private long statusPatches(FleetHarness h) {
    Matcher m = STATUS_PATCHES.matcher(h.admin.raw("/metrics"));
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }
}
