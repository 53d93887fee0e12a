package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RedisServer;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker that lost its data (Redis flushed or restarted without persistence, an in-process broker
 * restarted with its server): offsets begin anew in a new epoch. A client resuming with the old
 * epoch and offset gets every message retained since the reset, after a notice that says what was
 * lost; a live subscriber is told the same and misses none of the new epoch's messages.
 */
class HistoryResetTest {

  private static RedisServer redis;

  @RegisterExtension final VertxPair loop = new VertxPair();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  private WsNode startNode(Map<String, String> settings) throws Exception {
    WsNode node = Nodes.start(loop.server(), settings);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Admin.get(node.adminPort(), "/health/ready", null).statusCode() == 200);
    return node;
  }

  private Map<String, String> redisSettings() {
    return Map.of("WSNODE_REDIS_ADDRESS", redis.address());
  }

  private TestClient connect(WsNode node) throws Exception {
    return TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
  }

  /** Publishes {@code from..to} on {@code channel} and waits for the acknowledgements. */
  private void publishRange(WsNode node, String channel, int from, int to) throws Exception {
    TestClient publisher = connect(node);
    for (int n = from; n <= to; n++) {
      publisher.send(publish(channel, n));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> publisher.frames("published").size() == to - from + 1);
  }

  /** The epoch a plain subscribe reports, as a client remembers it to resume later. */
  private String epochOf(WsNode node, String channel) throws Exception {
    TestClient probe = connect(node);
    probe.send(subscribe(channel));
    await().until(() -> probe.frames("subscribed").size() == 1);
    String epoch = probe.frames("subscribed").get(0).getString("epoch");
    assertThat(epoch).as("subscribed carries the epoch").isNotBlank();
    return epoch;
  }

  private static List<Integer> payloads(TestClient client) {
    return client.frames("message").stream().map(m -> m.getInteger("payload")).toList();
  }

  /** Resumes after offset 10 of {@code oldEpoch}, where the new epoch holds messages 1 to 5. */
  private void assertResumeAcrossTheResetGetsTheNewEpoch(WsNode node, String oldEpoch)
      throws Exception {
    TestClient resuming = connect(node);
    resuming.send(subscribe("room", 10).put("epoch", oldEpoch));
    await().atMost(Duration.ofSeconds(10)).until(() -> resuming.frames("subscribed").size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> payloads(resuming).size() >= 5);
    assertThat(payloads(resuming)).containsExactly(101, 102, 103, 104, 105);
    assertThat(resuming.frames("message"))
        .extracting(m -> m.getLong("offset"))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    JsonObject notice = resuming.frames("truncated").get(0);
    assertThat(resuming.frames("truncated")).hasSize(1);
    // Whatever followed 10 in the old epoch is gone; the new epoch is complete from offset 1.
    assertThat(notice.getLong("since")).isEqualTo(10);
    assertThat(notice.getLong("earliest")).isEqualTo(1);
    assertThat(notice.getBoolean("reset")).isTrue();
    String newEpoch = notice.getString("epoch");
    assertThat(newEpoch).isNotBlank().isNotEqualTo(oldEpoch);
    assertThat(resuming.frames("subscribed").get(0).getString("epoch")).isEqualTo(newEpoch);
    assertThat(resuming.frames("subscribed").get(0).getLong("offset")).isEqualTo(5);
    List<String> types = resuming.frames().stream().map(f -> f.getString("type")).toList();
    assertThat(types.indexOf("truncated")).isLessThan(types.indexOf("message"));
  }

  @Test
  void redisFlushedResumeWithTheOldEpochGetsEverythingRetainedSinceTheReset() throws Exception {
    WsNode node = startNode(redisSettings());
    publishRange(node, "room", 1, 10);
    String oldEpoch = epochOf(node, "room");

    redis.flushAll();
    publishRange(node, "room", 101, 105);

    assertResumeAcrossTheResetGetsTheNewEpoch(node, oldEpoch);
  }

  @Test
  void redisRestartedEmptyResumeWithTheOldEpochGetsEverythingRetainedSinceTheReset()
      throws Exception {
    WsNode node = startNode(redisSettings());
    publishRange(node, "room", 1, 10);
    String oldEpoch = epochOf(node, "room");

    redis.stop();
    redis.restart();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Admin.get(node.adminPort(), "/health/ready", null).statusCode() == 200);
    publishRange(node, "room", 101, 105);

    assertResumeAcrossTheResetGetsTheNewEpoch(node, oldEpoch);
  }

  @Test
  void inProcessBrokerOfARestartedServerResumeWithTheOldEpochGetsItsHistory() throws Exception {
    WsNode before = startNode(Map.of());
    publishRange(before, "room", 1, 10);
    String oldEpoch = epochOf(before, "room");
    loop.server().undeploy(before.deploymentID()).await(10, TimeUnit.SECONDS);

    WsNode after = startNode(Map.of());
    publishRange(after, "room", 101, 105);

    assertResumeAcrossTheResetGetsTheNewEpoch(after, oldEpoch);
  }

  @Test
  void aResumeBehindTheNewEpochsLatestOffsetIsAResetToo() throws Exception {
    WsNode node = startNode(redisSettings());
    publishRange(node, "room", 1, 3);
    String oldEpoch = epochOf(node, "room");
    redis.flushAll();
    publishRange(node, "room", 101, 105);

    // Offset 2 exists in the new epoch too: only the epoch tells that it is not the same 2.
    TestClient resuming = connect(node);
    resuming.send(subscribe("room", 2).put("epoch", oldEpoch));
    await().atMost(Duration.ofSeconds(10)).until(() -> payloads(resuming).size() >= 5);
    assertThat(payloads(resuming)).containsExactly(101, 102, 103, 104, 105);
    assertThat(resuming.frames("truncated"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getLong("since")).isEqualTo(2);
              assertThat(t.getLong("earliest")).isEqualTo(1);
              assertThat(t.getBoolean("reset")).isTrue();
            });
  }

  @Test
  void aLiveSubscriberAcrossAFlushGetsTheNewEpochsMessages() throws Exception {
    WsNode node = startNode(redisSettings());
    TestClient live = connect(node);
    live.send(subscribe("room"));
    await().until(() -> live.frames("subscribed").size() == 1);
    publishRange(node, "room", 1, 10);
    await().atMost(Duration.ofSeconds(10)).until(() -> payloads(live).size() == 10);

    redis.flushAll(); // the feed stays connected: only the messages' epoch tells
    publishRange(node, "room", 101, 105);

    await().atMost(Duration.ofSeconds(10)).until(() -> payloads(live).size() >= 15);
    assertThat(payloads(live).subList(10, 15)).containsExactly(101, 102, 103, 104, 105);
    assertThat(live.frames("truncated"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getLong("since")).isEqualTo(10);
              assertThat(t.getLong("earliest")).isEqualTo(1);
              assertThat(t.getBoolean("reset")).isTrue();
            });
  }

  @Test
  void historyKeptBeforeEpochsExistedIsResumedWithoutAReset() throws Exception {
    // What a server of an older version left in Redis: a counter and a log, no epoch.
    redis.run("SET", "wsf:{room}:seq", "3");
    for (int n = 1; n <= 3; n++) {
      redis.run("XADD", "wsf:{room}:log", "0-" + n, "p", Integer.toString(n));
    }
    WsNode node = startNode(redisSettings());
    TestClient resuming = connect(node);
    resuming.send(subscribe("room", 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> resuming.frames("subscribed").size() == 1);

    publishRange(node, "room", 4, 4);

    await().atMost(Duration.ofSeconds(10)).until(() -> payloads(resuming).size() >= 3);
    assertThat(payloads(resuming)).containsExactly(2, 3, 4);
    assertThat(resuming.frames("truncated")).isEmpty();
    assertThat(resuming.frames("subscribed").get(0).getString("epoch")).isNotBlank();
  }
}
