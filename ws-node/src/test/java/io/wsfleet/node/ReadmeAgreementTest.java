package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.CapturedLogs;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RawClient;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Places where ws-node did something other than README says; each now does what it says. */
class ReadmeAgreementTest {

  @RegisterExtension final VertxPair loop = new VertxPair();
  @RegisterExtension final CapturedLogs logs = new CapturedLogs();

  private WsNode start(Map<String, String> settings) throws Exception {
    return Nodes.start(loop.server(), settings);
  }

  private TestClient connect(WsNode node) throws Exception {
    return TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
  }

  private List<TestClient> connect(WsNode node, int count) throws Exception {
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clients.add(connect(node));
    }
    return clients;
  }

  private static String metrics(WsNode node) {
    return Admin.get(node.adminPort(), "/metrics", Nodes.TOKEN).body();
  }

  private static HttpResponse<String> drain(WsNode node, String body) {
    return Admin.post(node.adminPort(), "/admin/drain", Nodes.TOKEN, body);
  }

  @Test
  void subscriptionsPerConnectionAreCappedByTheSetting() throws Exception {
    WsNode node = start(Map.of("WSNODE_MAX_SUBSCRIPTIONS", "2"));
    TestClient client = connect(node);

    for (String channel : List.of("a", "b", "c")) {
      client.send(subscribe(channel).put("id", "s-" + channel));
    }

    await()
        .until(() -> client.frames("subscribed").size() == 2 && client.frames("error").size() == 1);
    JsonObject refused = client.frames("error").get(0);
    assertThat(refused.getString("code")).isEqualTo("bad_request");
    assertThat(refused.getString("id")).isEqualTo("s-c");
    assertThat(refused.getString("message")).contains("at most 2 subscriptions");
  }

  @Test
  void theDefaultCapIs64Subscriptions() throws Exception {
    WsNode node = start(Map.of("WSNODE_MAX_PROTOCOL_ERRORS", "100"));
    TestClient client = connect(node);

    for (int i = 1; i <= 65; i++) {
      client.send(subscribe("ch-" + i));
    }

    await().until(() -> client.frames("subscribed").size() + client.frames("error").size() == 65);
    assertThat(client.frames("subscribed")).hasSize(64);
    assertThat(client.frames("error").get(0).getString("channel")).isEqualTo("ch-65");
  }

  @Test
  void anEmptyOrAbsentDrainBodyIsAFullDrainWithTheDefaults() throws Exception {
    WsNode node = start(Map.of());
    connect(node);
    long before = System.currentTimeMillis();

    HttpResponse<String> accepted = drain(node, "");

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonObject status = Admin.status(node.adminPort());
    assertThat(status.getBoolean("draining")).isTrue();
    JsonObject drain = status.getJsonObject("drain");
    assertThat(drain.getString("mode")).isEqualTo("full");
    assertThat(drain.getInteger("ratePerSecond")).isEqualTo(100);
    assertThat(drain.getLong("deadlineEpochMillis"))
        .isBetween(before + 300_000, System.currentTimeMillis() + 300_000);
    assertThat(Admin.get(node.adminPort(), "/health/ready", null).statusCode()).isEqualTo(503);
  }

  @Test
  void aDrainBodyOfOnlyWhitespaceIsEmptyAndNullIsNotAnObject() throws Exception {
    WsNode node = start(Map.of());

    HttpResponse<String> notAnObject = drain(node, "null");
    assertThat(notAnObject.statusCode()).isEqualTo(400);
    assertThat(notAnObject.body()).contains("JSON object");
    assertThat(Admin.status(node.adminPort()).getBoolean("draining")).isFalse();

    assertThat(drain(node, " \r\n").statusCode()).isEqualTo(202);
    assertThat(Admin.status(node.adminPort()).getJsonObject("drain").getString("mode"))
        .isEqualTo("full");
  }

  @Test
  void rateLimitedPublishesCountTowardTheProtocolErrorLimit() throws Exception {
    WsNode node =
        start(
            Map.of(
                "WSNODE_PUBLISH_RATE_PER_SECOND", "1",
                "WSNODE_PUBLISH_BURST", "1",
                "WSNODE_MAX_PROTOCOL_ERRORS", "3"));
    TestClient flooder = connect(node);

    for (int i = 0; i < 10; i++) {
      flooder.send(publish("room", i));
    }

    await().atMost(Duration.ofSeconds(10)).until(flooder::closed);
    assertThat(flooder.closeCode()).isEqualTo((short) 1008);
    assertThat(flooder.frames("error"))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.getString("code")).isEqualTo("rate_limited"));
  }

  @Test
  void aPartialDrainIsARebalanceNotADrainOfThePod() throws Exception {
    WsNode node = start(Map.of());
    connect(node, 10);

    assertThat(drain(node, "{\"ratePerSecond\":1,\"count\":5}").statusCode()).isEqualTo(202);

    JsonObject status = Admin.status(node.adminPort());
    assertThat(status.getBoolean("draining")).as("status %s", status).isFalse();
    assertThat(status.getBoolean("rebalancing")).isTrue();
    assertThat(status.getJsonObject("drain").getBoolean("active")).isTrue();
    assertThat(status.getJsonObject("drain").getString("mode")).isEqualTo("partial");
    assertThat(Admin.get(node.adminPort(), "/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(metrics(node)).contains("wsnode_draining 0.0");
  }

  @Test
  void aPartialDrainDuringAFullDrainLeavesTheFullDrainAsItWas() throws Exception {
    WsNode node = start(Map.of());
    connect(node, 20);
    drain(node, "{\"ratePerSecond\":1,\"deadlineSeconds\":600}");
    JsonObject full = Admin.status(node.adminPort()).getJsonObject("drain");

    HttpResponse<String> partial = drain(node, "{\"ratePerSecond\":1000,\"count\":5}");

    assertThat(partial.statusCode()).isEqualTo(202);
    JsonObject after = Admin.status(node.adminPort()).getJsonObject("drain");
    assertThat(after.getString("mode")).isEqualTo("full");
    assertThat(after.getInteger("ratePerSecond")).isEqualTo(1);
    assertThat(after.getLong("deadlineEpochMillis")).isEqualTo(full.getLong("deadlineEpochMillis"));
  }

  @Test
  void aFullDrainRequestStillHurriesAFullDrain() throws Exception {
    WsNode node = start(Map.of());
    connect(node, 20);
    drain(node, "{\"ratePerSecond\":1,\"deadlineSeconds\":600}");

    drain(node, "{\"ratePerSecond\":5,\"deadlineSeconds\":60}");

    JsonObject after = Admin.status(node.adminPort()).getJsonObject("drain");
    assertThat(after.getInteger("ratePerSecond")).isEqualTo(5);
    assertThat(after.getLong("deadlineEpochMillis"))
        .isLessThanOrEqualTo(System.currentTimeMillis() + 60_000);
  }

  @Test
  void disconnectsWithoutACloseFrameAreCountedAsSuch() throws Exception {
    WsNode node = start(Map.of());
    RawClient finOnly = RawClient.webSocket(node.clientPort(), 65_536);
    RawClient reset = RawClient.webSocket(node.clientPort(), 65_536);
    await().until(() -> Admin.status(node.adminPort()).getInteger("connections") == 2);

    finOnly.close();
    reset.reset();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Admin.status(node.adminPort()).getInteger("connections") == 0);
    String metrics = metrics(node);
    assertThat(metrics)
        .contains("wsnode_connections_closed_total{reason=\"no_close_frame\"} 2.0")
        .doesNotContain("reason=\"bad_frame\"");
  }

  @Test
  void aWrongRedisPasswordIsLoggedWithoutThePassword() throws Exception {
    String right = "right-horse-battery-7";
    String wrong = "wrong-staple-9f";
    try (RedisServer redis = RedisServer.start(List.of("--requirepass", right))) {
      start(Map.of("WSNODE_REDIS_ADDRESS", redis.address(), "WSNODE_REDIS_PASSWORD", wrong));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  logs.lines().stream()
                      .anyMatch(l -> l.contains("event=broker-error") && l.contains("WRONGPASS")));
      assertThat(logs.lines()).allSatisfy(l -> assertThat(l).doesNotContain(wrong, right));
    }
  }

  @Test
  void drainModeIsNoneBeforeAnyDrain() throws Exception {
    WsNode node = start(Map.of());

    JsonObject drain = Admin.status(node.adminPort()).getJsonObject("drain");

    assertThat(drain.getString("mode")).isEqualTo("none");
    assertThat(drain.getBoolean("active")).isFalse();
  }
}
