package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One server alone, on the in-process broker: protocol, limits, admin API. Real sockets. */
class SingleNodeTest {

  @RegisterExtension final VertxPair loop = new VertxPair();

  private WsNode start(Map<String, String> settings) throws Exception {
    return Nodes.start(loop.server(), settings);
  }

  private TestClient connect(WsNode node) throws Exception {
    return TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
  }

  private static void awaitFrames(TestClient client, String type, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> client.frames(type).size() >= count);
  }

  @Test
  void publishedMessagesReachSubscribersWithIncreasingOffsets() throws Exception {
    WsNode node = start(Map.of());
    TestClient subscriber = connect(node);
    TestClient publisher = connect(node);
    subscriber.send(subscribe("room"));
    awaitFrames(subscriber, "subscribed", 1);

    for (int i = 1; i <= 3; i++) {
      publisher.send(publish("room", new JsonObject().put("n", i)).put("id", "p" + i));
    }

    awaitFrames(subscriber, "message", 3);
    List<JsonObject> messages = subscriber.frames("message");
    assertThat(messages).extracting(m -> m.getLong("offset")).containsExactly(1L, 2L, 3L);
    assertThat(messages)
        .extracting(m -> m.getJsonObject("payload").getInteger("n"))
        .containsExactly(1, 2, 3);
    awaitFrames(publisher, "published", 3);
    assertThat(publisher.frames("published"))
        .extracting(f -> f.getString("id"))
        .containsExactly("p1", "p2", "p3");
    assertThat(publisher.frames("message")).isEmpty();
  }

  @Test
  void resumeWithSinceDeliversTheMissedMessagesThenLiveOnes() throws Exception {
    WsNode node = start(Map.of());
    TestClient publisher = connect(node);
    for (int i = 1; i <= 5; i++) {
      publisher.send(publish("news", i));
    }
    awaitFrames(publisher, "published", 5);

    TestClient resumer = connect(node);
    resumer.send(subscribe("news", 2));
    awaitFrames(resumer, "subscribed", 1);
    publisher.send(publish("news", 6));

    awaitFrames(resumer, "message", 4);
    assertThat(resumer.frames("message"))
        .extracting(m -> m.getInteger("payload"))
        .containsExactly(3, 4, 5, 6);
    assertThat(resumer.frames("subscribed").get(0).getLong("offset")).isEqualTo(5);
  }

  @Test
  void resumeBeyondTheHistoryIsToldSoExplicitly() throws Exception {
    WsNode node = start(Map.of("WSNODE_HISTORY_MAX_ENTRIES", "3"));
    TestClient publisher = connect(node);
    for (int i = 1; i <= 10; i++) {
      publisher.send(publish("news", i));
    }
    awaitFrames(publisher, "published", 10);

    TestClient resumer = connect(node);
    resumer.send(subscribe("news", 2));

    awaitFrames(resumer, "subscribed", 1);
    JsonObject truncated = resumer.frames("truncated").get(0);
    assertThat(truncated.getLong("since")).isEqualTo(2);
    assertThat(truncated.getLong("earliest")).isEqualTo(8);
    assertThat(resumer.frames("message"))
        .extracting(m -> m.getInteger("payload"))
        .containsExactly(8, 9, 10);
  }

  @Test
  void handshakesBeyondTheCapGet503WithRetryAfter() throws Exception {
    WsNode node = start(Map.of("WSNODE_MAX_CONNECTIONS", "2", "WSNODE_RETRY_AFTER_SECONDS", "7"));
    connect(node);
    connect(node);

    Throwable refused =
        TestClient.connect(loop.ws(), node.clientPort())
            .map(c -> (Throwable) null)
            .otherwise(e -> e)
            .await(10, TimeUnit.SECONDS);

    assertThat(refused)
        .isInstanceOfSatisfying(
            UpgradeRejectedException.class,
            rejected -> {
              assertThat(rejected.getStatus()).isEqualTo(503);
              assertThat(rejected.getHeaders().get("Retry-After")).isEqualTo("7");
            });
    assertThat(Admin.get(node.adminPort(), "/metrics", Nodes.TOKEN).body())
        .contains("wsnode_connections_rejected_total{reason=\"capacity\"} 1.0");
  }

  @Test
  void oversizeFrameClosesThatSocketWith1009Only() throws Exception {
    WsNode node = start(Map.of("WSNODE_MAX_FRAME_BYTES", "1024"));
    TestClient bystander = connect(node);
    bystander.send(subscribe("room"));
    TestClient offender = connect(node);

    offender.sendText(
        "{\"op\":\"publish\",\"channel\":\"room\",\"payload\":\"" + "x".repeat(4000) + "\"}");

    await().atMost(Duration.ofSeconds(10)).until(offender::closed);
    assertThat(offender.closeCode()).isEqualTo((short) 1009);
    TestClient publisher = connect(node);
    publisher.send(publish("room", "still here"));
    awaitFrames(bystander, "message", 1);
    assertThat(bystander.closed()).isFalse();
  }

  @Test
  void badJsonGetsAnErrorFrameAndRepeatedAbuseCloses1008() throws Exception {
    WsNode node = start(Map.of("WSNODE_MAX_PROTOCOL_ERRORS", "3"));
    TestClient bystander = connect(node);
    bystander.send(subscribe("room"));
    TestClient abuser = connect(node);

    abuser.sendText("not json");
    awaitFrames(abuser, "error", 1);
    assertThat(abuser.frames("error").get(0).getString("code")).isEqualTo("bad_json");
    assertThat(abuser.closed()).isFalse();
    abuser.sendText("{\"op\":\"dance\"}");
    abuser.sendText("{");

    await().atMost(Duration.ofSeconds(10)).until(abuser::closed);
    assertThat(abuser.closeCode()).isEqualTo((short) 1008);
    assertThat(abuser.frames("error"))
        .extracting(f -> f.getString("code"))
        .containsExactly("bad_json", "unknown_op", "bad_json");
    TestClient publisher = connect(node);
    publisher.send(publish("room", 1));
    awaitFrames(bystander, "message", 1);
  }

  @Test
  void publishRateIsLimitedPerConnection() throws Exception {
    WsNode node = start(Map.of("WSNODE_PUBLISH_RATE_PER_SECOND", "1", "WSNODE_PUBLISH_BURST", "3"));
    TestClient publisher = connect(node);

    for (int i = 0; i < 6; i++) {
      publisher.send(publish("room", i));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.frames().size() >= 6);
    assertThat(publisher.frames("published")).hasSizeBetween(3, 4);
    assertThat(publisher.frames("error"))
        .allSatisfy(e -> assertThat(e.getString("code")).isEqualTo("rate_limited"));
    assertThat(publisher.frames("error")).hasSizeBetween(2, 3);
  }

  @Test
  void clientsLeavingMidStreamCostTheOthersNoMessage() throws Exception {
    WsNode node = start(Map.of("WSNODE_PUBLISH_RATE_PER_SECOND", "1000"));
    List<Future<TestClient>> connecting = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      connecting.add(TestClient.connect(loop.ws(), node.clientPort()));
    }
    Future.all(connecting).await(30, TimeUnit.SECONDS);
    List<TestClient> subscribers = connecting.stream().map(Future::result).toList();
    subscribers.forEach(c -> c.send(subscribe("busy")));
    await().until(() -> subscribers.stream().allMatch(c -> c.frames("subscribed").size() == 1));
    TestClient publisher = connect(node);
    int messages = 200;
    AtomicInteger sent = new AtomicInteger();
    loop.client()
        .setPeriodic(
            5,
            id -> {
              if (sent.incrementAndGet() > messages) {
                loop.client().cancelTimer(id);
              } else {
                publisher.send(publish("busy", sent.get()));
              }
            });
    // Two of every three subscribers leave while the stream runs.
    for (int i = 0; i < subscribers.size(); i++) {
      if (i % 3 != 0) {
        subscribers.get(i).socket().close();
      }
    }
    List<TestClient> stayed = new ArrayList<>();
    for (int i = 0; i < subscribers.size(); i += 3) {
      stayed.add(subscribers.get(i));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                publisher.frames("published").size() + publisher.frames("error").size()
                    >= messages);
    assertThat(publisher.frames("error")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> stayed.stream().allMatch(c -> c.frames("message").size() >= messages));
    for (TestClient client : stayed) {
      assertThat(client.frames("message"))
          .extracting(m -> m.getLong("offset"))
          .isEqualTo(LongStream.rangeClosed(1, messages).boxed().toList());
    }
  }

  @Test
  void slowConsumerIsDisconnectedWith1013InsteadOfGrowingMemory() throws Exception {
    WsNode node =
        start(
            Map.of(
                // Room for ten messages; a paused client overflows it once the loopback
                // socket buffers (a few MiB) are full.
                "WSNODE_SEND_QUEUE_MAX_BYTES", "1048576",
                "WSNODE_PUBLISH_RATE_PER_SECOND", "100000",
                "WSNODE_PUBLISH_BURST", "100000",
                "WSNODE_MAX_FRAME_BYTES", "200000"));
    TestClient slow = connect(node);
    slow.send(subscribe("firehose"));
    awaitFrames(slow, "subscribed", 1);
    slow.socket().pause();
    TestClient fast = connect(node);
    fast.send(subscribe("firehose"));
    awaitFrames(fast, "subscribed", 1);
    TestClient publisher = connect(node);
    String big = "y".repeat(100_000);

    // In batches the reading client keeps up with whatever the machine's speed: at most eight
    // messages (800 KB, under the 1 MiB queue) are ever on their way to it. The paused one gets
    // all 40 MB.
    for (int batch = 0; batch < 50; batch++) {
      for (int i = 0; i < 8; i++) {
        publisher.send(publish("firehose", big));
      }
      int sent = (batch + 1) * 8;
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> fast.frames("message").size() >= sent || fast.closed());
      assertThat(fast.closed()).as("fast consumer closed with %s", fast.closeCode()).isFalse();
    }
    slow.socket().resume();
    await().atMost(Duration.ofSeconds(20)).until(slow::closed);
    assertThat(slow.closeCode()).isEqualTo((short) 1013);
    assertThat(Admin.get(node.adminPort(), "/metrics", Nodes.TOKEN).body())
        .contains("wsnode_slow_consumer_disconnects_total 1.0");
  }

  @Test
  void adminEndpointsNeedTheToken() throws Exception {
    WsNode node = start(Map.of());
    int admin = node.adminPort();

    HttpResponse<String> none = Admin.get(admin, "/metrics", null);
    HttpResponse<String> wrong = Admin.get(admin, "/admin/status", "not-the-token");
    HttpResponse<String> drainWrong = Admin.post(admin, "/admin/drain", "nope", "{}");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(drainWrong.statusCode()).isEqualTo(401);
    assertThat(Admin.status(admin).getBoolean("draining")).isFalse();
    assertThat(Admin.get(admin, "/health/ready", null).statusCode()).isEqualTo(200);
    assertThat(Admin.get(admin, "/health/live", null).statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = Admin.get(admin, "/metrics", Nodes.TOKEN);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "wsnode_connections ",
            "wsnode_connections_opened_total",
            "wsnode_draining 0.0",
            "wsnode_broker_up 1.0");
  }

  @Test
  void adminPortIsNotTheClientPort() throws Exception {
    WsNode node = start(Map.of());

    assertThat(Admin.get(node.clientPort(), "/metrics", Nodes.TOKEN).statusCode()).isEqualTo(404);
    assertThat(node.clientPort()).isNotEqualTo(node.adminPort());
  }

  @Test
  void partialDrainClosesOnlyTheCountAndKeepsAccepting() throws Exception {
    WsNode node = start(Map.of("WSNODE_RECONNECT_DELAY_MAX_MILLIS", "300"));
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      clients.add(connect(node));
    }

    HttpResponse<String> drain =
        Admin.post(
            node.adminPort(), "/admin/drain", Nodes.TOKEN, "{\"ratePerSecond\":100,\"count\":4}");

    assertThat(drain.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> clients.stream().filter(TestClient::closed).count() == 4);
    TestClient closed = clients.stream().filter(TestClient::closed).findFirst().orElseThrow();
    assertThat(closed.closeCode()).isEqualTo((short) 1012);
    assertThat(new JsonObject(closed.closeReason()).getInteger("reconnectAfterMs"))
        .isBetween(0, 300);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Admin.status(node.adminPort()).getJsonObject("drain").getBoolean("active"));
    assertThat(Admin.status(node.adminPort()).getBoolean("rebalancing")).isFalse();
    assertThat(Admin.status(node.adminPort()).getBoolean("draining")).isFalse();
    assertThat(connect(node).closed()).isFalse();
    assertThat(Admin.status(node.adminPort()).getInteger("connections")).isEqualTo(7);
  }

  @Test
  void drainRequestWithBadBodyIsRefused() throws Exception {
    WsNode node = start(Map.of());

    HttpResponse<String> response =
        Admin.post(node.adminPort(), "/admin/drain", Nodes.TOKEN, "{\"ratePerSecond\":0}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("ratePerSecond");
    assertThat(Admin.status(node.adminPort()).getBoolean("draining")).isFalse();
  }

  @Test
  void idleClientsAreClosedAndPongsKeepOthersAlive() throws Exception {
    WsNode node =
        start(Map.of("WSNODE_PING_INTERVAL_SECONDS", "1", "WSNODE_IDLE_TIMEOUT_SECONDS", "2"));
    TestClient answering = connect(node);
    // A peer that completed the handshake and then went silent: it never answers a ping.
    try (Socket silent = new Socket("127.0.0.1", node.clientPort())) {
      silent
          .getOutputStream()
          .write(
              ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Admin.status(node.adminPort()).getInteger("connections") == 2);

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> Admin.status(node.adminPort()).getInteger("connections") == 1);
    }
    assertThat(answering.closed()).isFalse();
  }

  @Test
  void anyOtherPathIs404() throws Exception {
    WsNode node = start(Map.of());

    Throwable failure =
        loop.ws()
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(node.clientPort())
                    .setURI("/other"))
            .map(ws -> (Throwable) null)
            .otherwise(e -> e)
            .await(10, TimeUnit.SECONDS);

    assertThat(failure)
        .isInstanceOfSatisfying(
            UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(404));
  }
}
