package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.ResumingClient;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.testing.ClassRedis;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator against a real API server, with every pod it creates run as a real ws-node by a
 * kubelet stand-in, and real WebSocket clients.
 */
@ExtendWith(ControlPlaneExtension.class)
class FleetOperatorTest {

  @RegisterExtension static final ClassRedis redis = new ClassRedis();
  private final ControlPlane controlPlane;
  private FleetHarness h;

  FleetOperatorTest(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  private void harness(TestInfo test) {
    String ns =
        "op-"
            + test.getTestMethod()
                .orElseThrow()
                .getName()
                .toLowerCase()
                .replaceAll("[^a-z0-9]", "")
                .substring(0, 20);
    h = new FleetHarness(controlPlane, ns, controlPlane.newClient());
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private String fleet(String name, String autoscaling, String spec) {
    return FleetYaml.fleet(name, redis.address(), autoscaling, spec);
  }

  private static Condition condition(WebSocketFleet fleet, String type) {
    return fleet.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNewFleetGetsItsPodsServiceSecretAndAReadableStatus(TestInfo test) {
    harness(test);
    h.apply(fleet("chat", FleetYaml.MANUAL, "replicas: 2\n"));

    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("chat").size() == 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              WebSocketFleet f = h.fleet("chat");
              return f.getStatus() != null
                  && Integer.valueOf(2).equals(f.getStatus().getReadyReplicas())
                  && "True".equals(condition(f, "Ready").getStatus());
            });
    WebSocketFleet fleet = h.fleet("chat");
    assertThat(fleet.getStatus().getReplicas()).isEqualTo(2);
    assertThat(fleet.getStatus().getDesiredReplicas()).isEqualTo(2);
    assertThat(fleet.getStatus().getSelector())
        .isEqualTo("wsfleet.io/fleet=chat,wsfleet.io/state=serving");
    assertThat(fleet.getStatus().getObservedGeneration())
        .isEqualTo(fleet.getMetadata().getGeneration());
    assertThat(condition(fleet, "Degraded").getStatus()).isEqualTo("False");

    Service service = h.admin.services().inNamespace(h.namespace).withName("chat").get();
    assertThat(service.getSpec().getSelector())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("wsfleet.io/fleet", "chat", "wsfleet.io/state", "serving"));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(80);
              // The named container port: each pod is reached on the port it listens on.
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("ws");
            });
    Secret secret = h.admin.secrets().inNamespace(h.namespace).withName("chat-admin-token").get();
    assertThat(secret.getData().get("token")).isNotBlank();
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("chat"));
    PodDisruptionBudget pdb =
        h.admin.policy().v1().podDisruptionBudget().inNamespace(h.namespace).withName("chat").get();
    // Two desired pods, spec.disruption.maxUnavailable 1 by default: one eviction at a time.
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");

    Pod pod = h.pods("chat").get(0);
    Container container = pod.getSpec().getContainers().get(0);
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(300L);
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(19090);
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());

    // The token survives reconciles: a spec change must not lock the operator out of its pods.
    h.editFleet(
        "chat",
        f -> {
          f.getSpec().getService().setPort(8080);
          return f;
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                h.admin
                        .services()
                        .inNamespace(h.namespace)
                        .withName("chat")
                        .get()
                        .getSpec()
                        .getPorts()
                        .get(0)
                        .getPort()
                    == 8080);
    assertThat(
            h.admin.secrets().inNamespace(h.namespace).withName("chat-admin-token").get().getData())
        .isEqualTo(secret.getData());

    Command.Result get = h.kubectl(controlPlane, "get", "wsfleet", "chat");
    assertThat(get.stdout()).contains("DESIRED").contains("READY");
    assertThat(get.stdout().lines().skip(1).findFirst().orElseThrow().split("\\s+"))
        .startsWith("chat", "2", "2", "0");
  }

  @Test
  void connectionsAboveTargetGrowTheFleetAndFewerShrinkItByDrainingTheLeastLoadedPod(TestInfo test)
      throws Exception {
    harness(test);
    h.apply(fleet("elastic", FleetYaml.autoscaling(4, false), FleetYaml.QUICK_DRAIN));
    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("elastic").size() == 1);
    Pod first = h.servingPods("elastic").get(0);

    List<TestClient> onFirst = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      onFirst.add(h.connect(first, FleetYaml.CLIENT_PORT));
    }
    long jump = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> h.pods("elastic").size() == 3);
    double reaction = (System.nanoTime() - jump) / 1e9;
    System.out.printf(
        "scale-up reaction: 50 connections on 1 pod -> 3 pods created in %.2f s%n", reaction);
    // Scrapes every second: the jump is seen within one interval and acted on at once.
    assertThat(reaction).isLessThan(4.0);
    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("elastic").size() == 3);
    WebSocketFleet grown = h.fleet("elastic");
    assertThat(grown.getStatus().getDesiredReplicas()).isEqualTo(3);
    assertThat(grown.getStatus().getLastScaleTime()).isNotNull();
    assertThat(h.events("ScaledUp"))
        .anySatisfy(
            // A scrape may land while the 50 clients still connect: any count from 41 on needs 3.
            e ->
                assertThat(e.getMessage())
                    .containsPattern("\\b(4[1-9]|50) connections on 1 serving pod ")
                    .contains("need 3 pods"));

    // 15 stay on the first pod, 10 on the second, 3 on the third: 28 need 2 pods.
    List<Pod> pods = h.servingPods("elastic");
    Pod second = pods.get(1);
    Pod third = pods.get(2);
    onFirst.subList(15, 50).forEach(c -> c.socket().close());
    for (int i = 0; i < 10; i++) {
      h.connect(second, FleetYaml.CLIENT_PORT);
    }
    List<ResumingClient> onThird = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ResumingClient client =
          new ResumingClient(
              h.vertx,
              h.wsClient,
              "news",
              () -> h.throughService("elastic", FleetYaml.CLIENT_PORT));
      onThird.add(client);
      client.connect(
          io.vertx.core.net.SocketAddress.inetSocketAddress(
              FleetYaml.CLIENT_PORT, third.getStatus().getPodIP()));
    }
    await().until(() -> onThird.stream().allMatch(ResumingClient::subscribed));

    String leaving = third.getMetadata().getName();
    await().atMost(Duration.ofSeconds(30)).until(() -> !h.events("DrainCompleted").isEmpty());
    assertThat(h.events("DrainStarted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(leaving).contains("3 connections"));
    assertThat(h.events("DrainCompleted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(leaving).contains("0 connections"));
    assertThat(h.events("ScaledDown")).singleElement();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.pods("elastic").size() == 2);
    assertThat(h.pods("elastic"))
        .extracting(p -> p.getMetadata().getName())
        .doesNotContain(leaving);
    // Every client of the drained pod was asked to move (1012), not cut off, and moved.
    await().until(() -> onThird.stream().allMatch(c -> c.reconnects() == 1 && c.subscribed()));
    for (ResumingClient client : onThird) {
      assertThat(client.problem()).isNull();
      assertThat(client.restartCloses()).isEqualTo(1);
    }
    Event started = h.events("DrainStarted").get(0);
    Event completed = h.events("DrainCompleted").get(0);
    System.out.println("scale-down drain: " + completed.getMessage());
    assertThat(started.getLastTimestamp()).isLessThanOrEqualTo(completed.getLastTimestamp());
    assertThat(h.kubelet.history().stream().filter(x -> x.pod().equals(leaving)).map(x -> x.what()))
        .containsExactly("started", "stopped:deleted");
    WebSocketFleet shrunk = h.fleet("elastic");
    assertThat(shrunk.getStatus().getDesiredReplicas()).isEqualTo(2);
  }

  @Test
  void anOperatorRestartedMidDrainFinishesTheDrainOnce(TestInfo test) throws Exception {
    harness(test);
    h.apply(
        fleet(
            "steady",
            FleetYaml.MANUAL,
            "replicas: 2\n"
                + "drain:\n  reconnectRatePerSecond: 2\n  timeoutSeconds: 60\n  reconnectDelayMaxMillis: 100\n"));
    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("steady").size() == 2);
    List<Pod> pods = h.servingPods("steady");
    Pod quiet = pods.get(0);
    Pod busy = pods.get(1);
    List<ResumingClient> movers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ResumingClient client =
          new ResumingClient(
              h.vertx, h.wsClient, "news", () -> h.throughService("steady", FleetYaml.CLIENT_PORT));
      movers.add(client);
      client.connect(
          io.vertx.core.net.SocketAddress.inetSocketAddress(
              FleetYaml.CLIENT_PORT, quiet.getStatus().getPodIP()));
    }
    for (int i = 0; i < 20; i++) {
      h.connect(busy, FleetYaml.CLIENT_PORT);
    }
    await().until(() -> movers.stream().allMatch(ResumingClient::subscribed));
    // Let a scrape see both pods' clients before asking for fewer pods.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Long.valueOf(30).equals(h.fleet("steady").getStatus().getConnections()));

    assertThat(h.kubectl(controlPlane, "scale", "wsfleet", "steady", "--replicas", "1").exitCode())
        .isZero();
    String leaving = quiet.getMetadata().getName();
    await().atMost(Duration.ofSeconds(20)).until(() -> !h.events("DrainStarted").isEmpty());
    h.stopOperator();
    Pod midway = h.admin.pods().inNamespace(h.namespace).withName(leaving).get();
    assertThat(midway.getMetadata().getLabels()).containsEntry("wsfleet.io/state", "draining");
    assertThat(midway.getMetadata().getAnnotations())
        .containsEntry("wsfleet.io/drain-requested", "true");

    h.startOperator();
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> h.admin.pods().inNamespace(h.namespace).withName(leaving).get() == null);
    assertThat(h.events("DrainStarted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(leaving));
    assertThat(h.events("DrainCompleted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(leaving));
    System.out.println(
        "drain across an operator restart: " + h.events("DrainCompleted").get(0).getMessage());
    assertThat(h.kubelet.history().stream().filter(x -> x.pod().equals(leaving)).map(x -> x.what()))
        .containsExactly("started", "stopped:deleted");
    await().until(() -> movers.stream().allMatch(c -> c.reconnects() == 1 && c.subscribed()));
    for (ResumingClient client : movers) {
      assertThat(client.problem()).isNull();
      assertThat(client.restartCloses()).isEqualTo(1);
    }
    assertThat(h.pods("steady"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(busy.getMetadata().getName());
  }

  @Test
  void aDeletedPodIsReplacedAndATemplateChangeRollsTheFleetWithADrainPerOldPod(TestInfo test) {
    harness(test);
    h.apply(fleet("rolling", FleetYaml.MANUAL, "replicas: 2\n" + FleetYaml.QUICK_DRAIN));
    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("rolling").size() == 2);
    Pod victim = h.servingPods("rolling").get(0);
    h.admin.pods().inNamespace(h.namespace).withName(victim.getMetadata().getName()).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                h.servingPods("rolling").size() == 2
                    && h.servingPods("rolling").stream()
                        .noneMatch(
                            p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));

    List<String> old =
        h.servingPods("rolling").stream().map(p -> p.getMetadata().getName()).toList();
    String oldHash =
        h.servingPods("rolling").get(0).getMetadata().getLabels().get("wsfleet.io/template-hash");
    h.editFleet(
        "rolling",
        f -> {
          f.getSpec()
              .getTemplate()
              .setEnv(
                  List.of(
                      new io.fabric8.kubernetes.api.model.EnvVar(
                          "WSNODE_PUBLISH_BURST", "200", null)));
          return f;
        });
    List<Integer> servingSeen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              List<Pod> serving = h.servingPods("rolling");
              servingSeen.add(serving.size());
              return serving.size() == 2
                  && h.pods("rolling").size() == 2
                  && serving.stream().noneMatch(p -> old.contains(p.getMetadata().getName()));
            });
    assertThat(h.servingPods("rolling"))
        .allSatisfy(
            p -> {
              assertThat(p.getMetadata().getLabels().get("wsfleet.io/template-hash"))
                  .isNotEqualTo(oldHash);
              assertThat(p.getSpec().getContainers().get(0).getEnv())
                  .anySatisfy(e -> assertThat(e.getName()).isEqualTo("WSNODE_PUBLISH_BURST"));
            });
    // One drain per old pod, never fewer serving pods than asked for.
    assertThat(h.events("DrainStarted"))
        .extracting(Event::getMessage)
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("rollout"));
    assertThat(
            h.events("DrainStarted").stream().map(Event::getMessage).collect(Collectors.joining()))
        .contains(old.get(0))
        .contains(old.get(1));
    assertThat(servingSeen).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
  }

  @Test
  void anUnreachablePodRaisesScrapeFailingAndKeepsTheFleetFromShrinking(TestInfo test)
      throws Exception {
    harness(test);
    h.apply(fleet("blind", FleetYaml.autoscaling(1, false), FleetYaml.QUICK_DRAIN));
    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("blind").size() == 1);
    Pod first = h.servingPods("blind").get(0);
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      clients.add(h.connect(first, FleetYaml.CLIENT_PORT));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> h.servingPods("blind").size() == 2);
    Pod second =
        h.servingPods("blind").stream()
            .filter(p -> !p.getMetadata().getName().equals(first.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    h.kubelet.crashQuietly(second.getMetadata().getName());
    clients.forEach(c -> c.socket().close());

    await().atMost(Duration.ofSeconds(20)).until(() -> !h.events("ScrapeFailing").isEmpty());
    assertThat(h.events("ScrapeFailing").get(0).getMessage())
        .contains(second.getMetadata().getName());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "True".equals(condition(h.fleet("blind"), "Degraded").getStatus()));
    assertThat(condition(h.fleet("blind"), "Degraded").getReason()).isEqualTo("ScrapeFailing");
    // No connections at all, a 1 s window, yet the unknown pod counts as full: no scale-down.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(7))
        .until(() -> h.pods("blind").size() == 2 && h.events("ScaledDown").isEmpty());
  }

  @Test
  void aDeletedFleetTakesItsPodsServiceAndSecretWithIt(TestInfo test) {
    harness(test);
    h.apply(fleet("gone", FleetYaml.MANUAL, "replicas: 2\n"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                h.pods("gone").size() == 2
                    && h.admin.services().inNamespace(h.namespace).withName("gone").get() != null);
    h.admin.resources(WebSocketFleet.class).inNamespace(h.namespace).withName("gone").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                h.pods("gone").isEmpty()
                    && h.admin.services().inNamespace(h.namespace).withName("gone").get() == null
                    && h.admin.secrets().inNamespace(h.namespace).withName("gone-admin-token").get()
                        == null
                    && h.admin
                            .policy()
                            .v1()
                            .podDisruptionBudget()
                            .inNamespace(h.namespace)
                            .withName("gone")
                            .get()
                        == null);
  }
}
