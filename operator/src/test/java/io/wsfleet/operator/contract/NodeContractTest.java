package io.wsfleet.operator.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.json.JsonObject;
import io.wsfleet.contract.AdminAuth;
import io.wsfleet.contract.AdminPaths;
import io.wsfleet.contract.Metrics;
import io.wsfleet.contract.NodeStatus;
import io.wsfleet.contract.Settings;
import io.wsfleet.node.WsNode;
import io.wsfleet.node.config.NodeConfig;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminEndpoint;
import io.wsfleet.operator.drain.AdminTokens;
import io.wsfleet.operator.drain.NodeAdminClient;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.metrics.PodScraper;
import io.wsfleet.operator.metrics.PrometheusText;
import io.wsfleet.operator.metrics.ScrapeFailures;
import io.wsfleet.operator.reconciler.PodFactory;
import io.wsfleet.operator.testing.ClassRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node contract from both ends at once: the pod {@link PodFactory} writes for a fleet, run as a
 * real ws-node on a loopback address of its own (as FakeKubelet runs pods), answering the
 * operator's own {@link NodeAdminClient} and {@link PodScraper}. A name or shape that one side
 * changes alone fails here.
 */
class NodeContractTest {

  @RegisterExtension static final ClassRedis REDIS = new ClassRedis();

  @RegisterExtension final VertxPair vertx = new VertxPair();

  private final NodeAdminClient admin = new NodeAdminClient(Duration.ofSeconds(3));
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @Test
  void everyVariablePodFactoryWritesIsASettingTheServerReadsAsMeant(@TempDir Path dir)
      throws IOException {
    WebSocketFleet fleet =
        fleet(
            REDIS.address(),
            """
              database: 3
              passwordSecretRef:
                name: redis
                key: password
            historyMaxEntries: 500
            """);
    Pod pod = PodFactory.newPod(fleet, null);
    Container container = pod.getSpec().getContainers().get(0);

    List<String> written = container.getEnv().stream().map(EnvVar::getName).toList();
    assertThat(written).allMatch(name -> Settings.ofEnvName(name).isPresent());
    assertThat(NodeConfig.knownNames()).containsAll(written);

    NodeConfig config = NodeConfig.fromEnv(kubeletEnv(container, dir, "t0ken", "127.0.0.1"));
    assertThat(config.clientPort()).isEqualTo(port(container, "ws"));
    assertThat(config.adminPort()).isEqualTo(port(container, "admin"));
    assertThat(config.maxConnections()).isEqualTo(FleetSettings.maxConnectionsPerPod(fleet));
    assertThat(config.shutdownGrace()).hasSeconds(pod.getSpec().getTerminationGracePeriodSeconds());
    assertThat(config.reconnectDelayMaxMillis())
        .isEqualTo(FleetSettings.reconnectDelayMaxMillis(fleet));
    assertThat(config.redisAddress()).contains(REDIS.address());
    assertThat(config.redisDatabase()).isEqualTo(3);
    assertThat(config.redisPassword()).contains("from-secret");
    assertThat(config.historyMaxEntries()).isEqualTo(500);
    assertThat(config.adminToken()).contains("t0ken");
  }

  @Test
  void theServerAnswersTheOperatorsProbesScrapesAndDrains(@TempDir Path dir) throws Exception {
    WebSocketFleet fleet = fleet(REDIS.address(), "");
    Pod pod = PodFactory.newPod(fleet, null);
    Container container = pod.getSpec().getContainers().get(0);
    String ip = "127.0.250." + ThreadLocalRandom.current().nextInt(2, 250);
    String token = "contract-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    WsNode node = new WsNode(NodeConfig.fromEnv(kubeletEnv(container, dir, token, ip)), false);
    vertx.server().deployVerticle(node).await(20, TimeUnit.SECONDS);
    // What the API server and the kubelet would add: an identity and the pod's address.
    pod.getMetadata().setUid("00000000-0000-0000-0000-000000000002");
    pod.setStatus(new PodStatus());
    pod.getStatus().setPodIP(ip);
    int adminPort = FleetSettings.adminPort(fleet);
    PodScraper scraper =
        new PodScraper(
            admin,
            f -> Set.of(pod),
            f -> Optional.of(new AdminTokens(token, null)),
            new OperatorMetrics(),
            new ScrapeFailures(),
            Clock.systemUTC());
    AdminEndpoint endpoint = new AdminEndpoint(ip, adminPort);
    AdminTokens tokens = new AdminTokens(token, null);

    assertThat(probe(ip, container.getLivenessProbe().getHttpGet().getPath(), adminPort))
        .isEqualTo(200);
    // Ready once its broker answers, as the kubelet finds out by probing again.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                probe(ip, container.getReadinessProbe().getHttpGet().getPath(), adminPort) == 200);
    assertThat(connections(scraper, fleet)).isEqualTo(0);

    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add(
          TestClient.connect(vertx.ws(), ip, FleetSettings.clientPort(fleet))
              .await(10, TimeUnit.SECONDS));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> connections(scraper, fleet) == 3);

    // A rebalance: one client leaves, with a reconnect hint; the server keeps taking clients.
    assertThat(admin.drain(endpoint, tokens, 10, 30, 1L).get(5, TimeUnit.SECONDS)).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> connections(scraper, fleet) == 2);
    TestClient moved = clients.stream().filter(TestClient::closed).findFirst().orElseThrow();
    assertThat(moved.closeCode()).isEqualTo((short) 1012);
    assertThat(new JsonObject(moved.closeReason()).getLong("reconnectAfterMs"))
        .isBetween(0L, (long) FleetSettings.reconnectDelayMaxMillis(fleet));
    assertThat(
            status(ip, adminPort, token)
                .getJsonObject(NodeStatus.DRAIN)
                .getString(NodeStatus.DRAIN_MODE))
        .isEqualTo(NodeStatus.MODE_PARTIAL);

    // The scale-down drain, as PodDrains asks for it.
    int code =
        admin
            .drain(
                endpoint,
                tokens,
                FleetSettings.drainRatePerSecond(fleet),
                FleetSettings.drainTimeoutSeconds(fleet),
                null)
            .get(5, TimeUnit.SECONDS);
    assertThat(code).isIn(200, 202);
    JsonObject status = status(ip, adminPort, token);
    assertThat(status.fieldNames()).containsExactlyInAnyOrderElementsOf(NodeStatus.FIELDS);
    assertThat(status.getJsonObject(NodeStatus.DRAIN).fieldNames())
        .containsExactlyInAnyOrderElementsOf(NodeStatus.DRAIN_FIELDS);
    assertThat(status.getJsonObject(NodeStatus.BROKER).fieldNames())
        .containsExactlyInAnyOrderElementsOf(NodeStatus.BROKER_FIELDS);
    assertThat(status.getBoolean(NodeStatus.DRAINING)).isTrue();
    assertThat(status.getJsonObject(NodeStatus.DRAIN).getString(NodeStatus.DRAIN_MODE))
        .isEqualTo(NodeStatus.MODE_FULL);
    assertThat(probe(ip, container.getReadinessProbe().getHttpGet().getPath(), adminPort))
        .isEqualTo(503);
    await().atMost(Duration.ofSeconds(20)).until(() -> connections(scraper, fleet) == 0);
    String text = admin.metrics(endpoint, tokens, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
    assertThat(PrometheusText.value(text, Metrics.DRAINING)).hasValue(1.0);
    assertThat(probe(ip, container.getLivenessProbe().getHttpGet().getPath(), adminPort))
        .isEqualTo(200);
  }

  @Test
  void aWrongTokenGetsNothingAndStartsNothing(@TempDir Path dir) throws Exception {
    WebSocketFleet fleet = fleet(REDIS.address(), "");
    Container container = PodFactory.newPod(fleet, null).getSpec().getContainers().get(0);
    String ip = "127.0.251." + ThreadLocalRandom.current().nextInt(2, 250);
    WsNode node = new WsNode(NodeConfig.fromEnv(kubeletEnv(container, dir, "right", ip)), false);
    vertx.server().deployVerticle(node).await(20, TimeUnit.SECONDS);
    int adminPort = FleetSettings.adminPort(fleet);

    AdminEndpoint endpoint = new AdminEndpoint(ip, adminPort);
    AdminTokens wrong = new AdminTokens("wrong", null);
    assertThat(admin.drain(endpoint, wrong, 10, 30, null).get(5, TimeUnit.SECONDS)).isEqualTo(401);
    assertThat(admin.metrics(endpoint, wrong, Duration.ofSeconds(5)))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withMessageContaining("HTTP 401");
    assertThat(status(ip, adminPort, "right").getBoolean(NodeStatus.DRAINING)).isFalse();
  }

  private static WebSocketFleet fleet(String redisAddress, String brokerExtra) {
    String yaml =
        """
        apiVersion: wsfleet.io/v1alpha1
        kind: WebSocketFleet
        metadata:
          name: contract
          namespace: contract
          uid: 00000000-0000-0000-0000-000000000001
        spec:
          template:
            clientPort: 18080
            adminPort: 19090
          capacity:
            maxConnectionsPerPod: 100
          drain:
            reconnectRatePerSecond: 50
            timeoutSeconds: 60
            reconnectDelayMaxMillis: 200
          broker:
            type: Redis
            redis:
              address: "%s"
        %s
        """
            .formatted(redisAddress, brokerExtra.indent(4).stripTrailing());
    return Serialization.unmarshal(yaml, WebSocketFleet.class);
  }

  /**
   * The container's environment as a kubelet resolves it: the token Secret mounted as a file, a
   * secretKeyRef as its value, and the pod's own address to bind.
   */
  private static Map<String, String> kubeletEnv(
      Container container, Path dir, String token, String ip) throws IOException {
    Path tokenFile = dir.resolve(AdminAuth.TOKEN_KEY);
    Files.writeString(tokenFile, token + "\n");
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValueFrom() != null ? "from-secret" : var.getValue());
    }
    assertThat(env.get(Settings.ADMIN_TOKEN_FILE.envName())).isEqualTo(AdminAuth.TOKEN_FILE);
    assertThat(container.getVolumeMounts())
        .anyMatch(m -> AdminAuth.TOKEN_FILE.startsWith(m.getMountPath() + "/"));
    env.put(Settings.ADMIN_TOKEN_FILE.envName(), tokenFile.toString());
    env.put(Settings.HOST.envName(), ip);
    return env;
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow();
  }

  private static long connections(PodScraper scraper, WebSocketFleet fleet) {
    PodSample sample = scraper.round(fleet).join().iterator().next();
    assertThat(sample.error()).as("scrape of %s", sample.pod()).isNull();
    return sample.connections().orElseThrow();
  }

  private int probe(String ip, String path, int port) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private JsonObject status(String ip, int port, String token) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + AdminPaths.STATUS))
                .header(AdminAuth.HEADER, AdminAuth.headerValue(token))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body());
  }
}
