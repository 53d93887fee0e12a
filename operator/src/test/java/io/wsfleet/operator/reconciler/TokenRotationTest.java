package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deleted admin-token Secret comes back with a new token, but running pods still require the one
 * they started with (FakeKubelet, like a ws-node that never re-reads its file, reads it once): the
 * operator must keep scraping and draining them with the previous token.
 */
@ExtendWith(ControlPlaneExtension.class)
class TokenRotationTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();

  @Test
  void deletingTheSecretWhilePodsRunDoesNotBlindTheOperator(ControlPlane controlPlane)
      throws Exception {
    try (FleetHarness h = new FleetHarness(controlPlane, "token-gone", controlPlane.newClient())) {
      h.apply(
          FleetYaml.fleet(
              "rot", redis.address(), FleetYaml.MANUAL, "replicas: 2\n" + FleetYaml.QUICK_DRAIN));
      await("2 pods serving and scraped")
          .atMost(Duration.ofSeconds(30))
          .until(() -> h.servingPods("rot").size() == 2 && connections(h.fleet("rot")) == 0);
      String secretName = "rot-admin-token";
      String before = token(h, secretName).orElseThrow();

      h.admin.secrets().inNamespace(h.namespace).withName(secretName).delete();
      await("the Secret is back with a new token")
          .atMost(Duration.ofSeconds(20))
          .until(() -> token(h, secretName).filter(t -> !t.equals(before)).isPresent());
      Secret recreated = h.admin.secrets().inNamespace(h.namespace).withName(secretName).get();
      assertThat(recreated.getData()).containsKey(AdminTokenSecret.PREVIOUS_KEY);

      Pod pod = h.servingPods("rot").get(0);
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        clients.add(h.connect(pod, FleetYaml.CLIENT_PORT));
      }
      await("scrapes of the old pods still count their clients")
          .atMost(Duration.ofSeconds(15))
          .until(() -> connections(h.fleet("rot")) == 2);
      assertThat(h.events("ScrapeFailing")).isEmpty();

      h.editFleet(
          "rot",
          f -> {
            f.getSpec().setReplicas(1);
            return f;
          });
      await("the drain of an old pod completes (QUICK_DRAIN's deadline is 30 s)")
          .atMost(Duration.ofSeconds(25))
          .until(() -> !h.events("DrainCompleted").isEmpty());
      assertThat(h.events("DrainTimedOut")).isEmpty();
      assertThat(h.events("ScrapeFailing")).isEmpty();
      System.out.println("after the rotation: " + h.events("DrainCompleted").get(0).getMessage());
    }
  }

  private static Optional<String> token(FleetHarness h, String name) {
    return Optional.ofNullable(h.admin.secrets().inNamespace(h.namespace).withName(name).get())
        .map(Secret::getData)
        .map(d -> d.get("token"));
  }

  private static long connections(WebSocketFleet fleet) {
    return Optional.ofNullable(fleet)
        .map(WebSocketFleet::getStatus)
        .map(s -> s.getConnections())
        .orElse(-1L);
  }
}
