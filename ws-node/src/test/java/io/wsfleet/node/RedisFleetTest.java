package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.NodeProcess;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.node.testing.ResumingClient;
import io.wsfleet.node.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three servers sharing a real Redis: A and B in this JVM, C a separate JVM process, as pods.
 * Clients are real WebSocket clients on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisFleetTest {

  private RedisServer redis;
  private Vertx vertxA;
  private Vertx vertxB;
  private Vertx clientVertx;
  private WebSocketClient wsClient;
  private WsNode nodeA;
  private WsNode nodeB;
  private NodeProcess nodeC;

  @BeforeAll
  void startFleet() throws Exception {
    redis = RedisServer.start();
    Map<String, String> shared =
        Map.of(
            "WSNODE_REDIS_ADDRESS", redis.address(),
            "WSNODE_PUBLISH_RATE_PER_SECOND", "1000",
            "WSNODE_PUBLISH_BURST", "1000",
            "WSNODE_RECONNECT_DELAY_MAX_MILLIS", "1000");
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    clientVertx = Vertx.vertx();
    wsClient = TestClient.newClient(clientVertx);
    nodeA = Nodes.start(vertxA, shared);
    nodeB = Nodes.start(vertxB, shared);
    Map<String, String> processEnv = new java.util.HashMap<>(shared);
    processEnv.put("WSNODE_ADMIN_TOKEN", Nodes.TOKEN);
    nodeC = NodeProcess.start(processEnv);
    for (int admin : new int[] {nodeA.adminPort(), nodeB.adminPort(), nodeC.adminPort()}) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Admin.get(admin, "/health/ready", null).statusCode() == 200);
    }
  }

  @AfterAll
  void stopFleet() throws Exception {
    nodeC.close();
    clientVertx.close().await(10, TimeUnit.SECONDS);
    vertxA.close().await(10, TimeUnit.SECONDS);
    vertxB.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private TestClient connect(int port) throws Exception {
    return TestClient.connect(wsClient, port).await(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void messagePublishedOnOneServerReachesSubscribersOnTheOthers() throws Exception {
    TestClient onB = connect(nodeB.clientPort());
    TestClient onC = connect(nodeC.clientPort());
    onB.send(subscribe("fanout"));
    onC.send(subscribe("fanout"));
    await()
        .until(() -> onB.frames("subscribed").size() == 1 && onC.frames("subscribed").size() == 1);
    TestClient onA = connect(nodeA.clientPort());

    onA.send(publish("fanout", new JsonObject().put("text", "hello fleet")));

    for (TestClient subscriber : List.of(onB, onC)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.frames("message").size() == 1);
      JsonObject message = subscriber.frames("message").get(0);
      assertThat(message.getJsonObject("payload").getString("text")).isEqualTo("hello fleet");
      assertThat(message.getLong("offset")).isEqualTo(1);
    }
  }

  /** Last: server A stays drained. */
  @Test
  @Order(4)
  void drainMovesAThousandClientsWithoutLosingAMessage() throws Exception {
    int clients = 1000;
    // 50 messages/s for 8 s: the stream runs before, during and after the 5 s drain, without
    // saturating a 2-core machine that also runs the 1,000 clients and three servers.
    int messages = 400;
    int before = Admin.status(nodeA.adminPort()).getInteger("connections");
    AtomicInteger turn = new AtomicInteger();
    int[] survivors = {nodeB.clientPort(), nodeC.clientPort()};
    List<ResumingClient> fleet = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      ResumingClient client =
          new ResumingClient(
              clientVertx, wsClient, "stream", () -> survivors[turn.getAndIncrement() % 2]);
      fleet.add(client);
      clientVertx.runOnContext(v -> client.connect(nodeA.clientPort()));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fleet.stream().allMatch(ResumingClient::subscribed));
    assertThat(Admin.status(nodeA.adminPort()).getInteger("connections"))
        .isEqualTo(before + clients);

    TestClient publisher = connect(nodeB.clientPort());
    AtomicInteger sent = new AtomicInteger();
    clientVertx.setPeriodic(
        20,
        id -> {
          int n = sent.incrementAndGet();
          if (n > messages) {
            clientVertx.cancelTimer(id);
            return;
          }
          publisher.send(publish("stream", new JsonObject().put("n", n)));
        });
    await().until(() -> sent.get() > 50);

    assertThat(
            Admin.post(
                    nodeA.adminPort(),
                    "/admin/drain",
                    Nodes.TOKEN,
                    "{\"ratePerSecond\":200,\"deadlineSeconds\":60}")
                .statusCode())
        .isEqualTo(202);
    // Timed from the accepted request: the drain started on the server before the reply.
    long drainStart = System.nanoTime();
    Throwable refused =
        TestClient.connect(wsClient, nodeA.clientPort())
            .map(c -> (Throwable) null)
            .otherwise(e -> e)
            .await(10, TimeUnit.SECONDS);
    assertThat(refused)
        .isInstanceOfSatisfying(
            UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(503));
    assertThat(Admin.get(nodeA.adminPort(), "/health/ready", null).statusCode()).isEqualTo(503);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !Admin.status(nodeA.adminPort()).getJsonObject("drain").getBoolean("active"));
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Admin.status(nodeA.adminPort()).getInteger("connections") == 0);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fleet.stream().allMatch(c -> c.received().size() >= messages));
    List<Integer> expected = IntStream.rangeClosed(1, messages).boxed().toList();
    for (ResumingClient client : fleet) {
      assertThat(client.problem()).isNull();
      assertThat(client.restartCloses()).isEqualTo(1);
      assertThat(client.badHints()).isZero();
      assertThat(client.reconnects()).isEqualTo(1);
      assertThat(client.received()).isEqualTo(expected);
    }
    // 1,000 clients at 200/s: about 5 s, with room for a busy machine.
    assertThat(drainSeconds).isBetween(4.0, 8.0);
    System.out.printf("drain of %d clients at 200/s took %.2f s%n", clients, drainSeconds);
  }

  @Test
  @Order(2)
  void feedsCutWhileMessagesFlowLoseNothing() throws Exception {
    TestClient subscriber = connect(nodeB.clientPort());
    subscriber.send(subscribe("blips"));
    await().until(() -> subscriber.frames("subscribed").size() == 1);
    TestClient publisher = connect(nodeA.clientPort());
    int messages = 2000;
    AtomicInteger published = new AtomicInteger();
    List<TestClient> late = new ArrayList<>();
    List<Long> lateSince = new ArrayList<>();
    // 500/s: messages keep arriving on the new feed while its catch-up from history is under way.
    long timer =
        clientVertx.setPeriodic(
            2,
            id -> {
              if (published.get() < messages) {
                publisher.send(publish("blips", published.incrementAndGet()));
              }
            });
    try {
      for (int cut = 1; cut <= 8; cut++) {
        int received = cut * 200;
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> subscriber.frames("message").size() >= received);
        assertThat(redis.killFeeds()).isPositive();
        // A client resuming while the feed reconnects: its subscribe may straddle the reconnect.
        TestClient resuming = connect(nodeB.clientPort());
        resuming.send(subscribe("blips", received));
        late.add(resuming);
        lateSince.add((long) received);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                List<JsonObject> received = subscriber.frames("message");
                return !received.isEmpty()
                    && received.get(received.size() - 1).getLong("offset") >= messages;
              });
    } finally {
      clientVertx.cancelTimer(timer);
    }

    assertThat(publisher.frames("error")).isEmpty();
    assertThat(subscriber.frames("message"))
        .extracting(m -> m.getLong("offset"))
        .isEqualTo(LongStream.rangeClosed(1, messages).boxed().toList());
    assertThat(subscriber.frames("truncated")).isEmpty();
    assertThat(subscriber.closed()).isFalse();
    for (int i = 0; i < late.size(); i++) {
      TestClient resuming = late.get(i);
      long since = lateSince.get(i);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> resuming.frames("message").size() >= messages - since);
      assertThat(resuming.frames("message"))
          .as("resumed after %d", since)
          .extracting(m -> m.getLong("offset"))
          .isEqualTo(LongStream.rangeClosed(since + 1, messages).boxed().toList());
      assertThat(resuming.frames("truncated")).isEmpty();
    }
  }

  @Test
  @Order(3)
  void redisGoingAwayFailsPublishesAndTheServersRecoverByThemselves() throws Exception {
    TestClient subscriber = connect(nodeB.clientPort());
    subscriber.send(subscribe("outage"));
    await().until(() -> subscriber.frames("subscribed").size() == 1);
    TestClient publisher = connect(nodeA.clientPort());
    publisher.send(publish("outage", "before"));
    await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.frames("message").size() == 1);

    redis.stop();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Admin.get(nodeA.adminPort(), "/health/ready", null).statusCode() == 503);
    publisher.send(publish("outage", "during"));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.frames("error").size() == 1);
    assertThat(publisher.frames("error").get(0).getString("code")).isEqualTo("broker_unavailable");
    assertThat(Admin.get(nodeA.adminPort(), "/metrics", Nodes.TOKEN).body())
        .contains("wsnode_broker_up 0.0");

    redis.restart();
    for (int admin : new int[] {nodeA.adminPort(), nodeB.adminPort(), nodeC.adminPort()}) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Admin.get(admin, "/health/ready", null).statusCode() == 200);
    }
    publisher.send(publish("outage", "after"));

    await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.frames("message").size() == 2);
    assertThat(subscriber.frames("message"))
        .extracting(m -> m.getString("payload"))
        .containsExactly("before", "after");
    // Redis restarted empty: the subscriber is told offsets began anew.
    assertThat(subscriber.frames("truncated")).hasSize(1);
    assertThat(subscriber.closed()).isFalse();
  }
}
