package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wsfleet.node.testing.FeedLosingBroker;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The orderings of a broker feed reconnect that Redis produces only now and then under load, made
 * to happen every time: messages published while the feed was down reach every subscriber, once and
 * in order, whichever answer comes first.
 */
class FeedReconnectTest {

  @RegisterExtension final VertxPair loop = new VertxPair();
  private FeedLosingBroker broker;
  private int port;
  private int sent;

  @BeforeEach
  void setUp() throws Exception {
    broker = new FeedLosingBroker();
    WsNode node = new WsNode(Nodes.config(Map.of()), false, broker);
    loop.server().deployVerticle(node).await(20, TimeUnit.SECONDS);
    port = node.clientPort();
  }

  private TestClient connect() throws Exception {
    return TestClient.connect(loop.ws(), port).await(10, TimeUnit.SECONDS);
  }

  /** Publishes until {@code total} messages were sent in all, and waits for their acks. */
  private void publishUpTo(TestClient publisher, int total) {
    for (; sent < total; sent++) {
      publisher.send(publish("ch", "m" + (sent + 1)));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> publisher.frames("published").size() == total);
  }

  private TestClient liveSubscriber() throws Exception {
    TestClient live = connect();
    live.send(subscribe("ch"));
    await().until(() -> live.frames("subscribed").size() == 1);
    return live;
  }

  private static List<Long> offsets(TestClient client) {
    return client.frames("message").stream().map(m -> m.getLong("offset")).toList();
  }

  @Test
  void aResumeUnderWayWhenTheFeedComesBackStillGetsWhatTheFeedMissed() throws Exception {
    TestClient live = liveSubscriber();
    TestClient publisher = connect();
    publishUpTo(publisher, 3);
    await().until(() -> live.frames("message").size() == 3);

    // A client resumes after 1; its history answer is held while the feed drops and returns.
    broker.holdHistory();
    TestClient resuming = connect();
    resuming.send(subscribe("ch", 1));
    await().until(() -> broker.heldHistoryAnswers() == 1);
    broker.loseFeed();
    publishUpTo(publisher, 5); // 4 and 5: in history, never on the feed
    broker.regainFeed(); // the live subscriber's catch-up asks history too: held
    await().until(() -> broker.heldHistoryAnswers() == 2);
    publishUpTo(publisher, 6); // 6: live, before any catch-up is answered
    broker.releaseHistory();

    await().atMost(Duration.ofSeconds(10)).until(() -> offsets(live).size() >= 6);
    await().atMost(Duration.ofSeconds(10)).until(() -> offsets(resuming).contains(6L));
    assertThat(offsets(live)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(offsets(resuming)).containsExactly(2L, 3L, 4L, 5L, 6L);
    assertThat(live.frames("truncated")).isEmpty();
    assertThat(resuming.frames("truncated")).isEmpty();
  }

  @Test
  void whenTheCatchUpCannotBeFetchedTheJumpIsAnnouncedAsTruncated() throws Exception {
    TestClient live = liveSubscriber();
    TestClient publisher = connect();
    publishUpTo(publisher, 3);
    await().until(() -> live.frames("message").size() == 3);

    broker.loseFeed();
    publishUpTo(publisher, 5); // 4 and 5 are missed by the feed
    broker.failHistory(true);
    broker.regainFeed(); // the catch-up fails: 4 and 5 stay missing
    broker.failHistory(false);
    publishUpTo(publisher, 6);

    await().atMost(Duration.ofSeconds(10)).until(() -> offsets(live).contains(6L));
    assertThat(offsets(live)).containsExactly(1L, 2L, 3L, 6L);
    assertThat(live.frames("truncated"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getLong("since")).isEqualTo(3);
              assertThat(t.getLong("earliest")).isEqualTo(6);
            });
    // The notice comes before the message after the gap.
    List<String> types = live.frames().stream().map(f -> f.getString("type")).toList();
    assertThat(types.indexOf("truncated")).isLessThan(types.lastIndexOf("message"));
  }
}
