package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import io.wsfleet.node.testing.FeedLosingBroker;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An error frame names the request it answers: its id and channel, whenever it had them. */
class ErrorFramesTest {

  @RegisterExtension final VertxPair loop = new VertxPair();

  private TestClient connect(WsNode node) throws Exception {
    return TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
  }

  private static void awaitFrames(TestClient client, String type, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> client.frames(type).size() >= count);
  }

  @Test
  void errorFramesEchoTheRequestsIdAndChannelEvenWhenItWasInvalid() throws Exception {
    WsNode node =
        Nodes.start(
            loop.server(),
            Map.of(
                "WSNODE_PUBLISH_RATE_PER_SECOND", "1",
                "WSNODE_PUBLISH_BURST", "1",
                "WSNODE_MAX_PROTOCOL_ERRORS", "100"));
    TestClient client = connect(node);
    client.send(subscribe("room").put("id", "s-1"));
    awaitFrames(client, "subscribed", 1);
    client.send(publish("room", 1).put("id", "p-1"));
    awaitFrames(client, "published", 1);

    List<String> requests =
        List.of(
            "{\"id\":\"no-op\",\"channel\":\"room\"}",
            "{\"op\":\"dance\",\"id\":\"dance-1\",\"channel\":\"room\"}",
            "{\"op\":\"subscribe\",\"channel\":\"room\",\"since\":-1,\"id\":\"since-1\"}",
            "{\"op\":\"publish\",\"channel\":\"no spaces!\",\"payload\":1,\"id\":\"chan-1\"}",
            "{\"op\":\"publish\",\"channel\":\"room\",\"payload\":1,\"id\":7}",
            "{\"op\":\"publish\",\"channel\":\"room\",\"id\":\"no-payload\"}",
            "{\"op\":\"subscribe\",\"channel\":\"room\",\"id\":\"again\"}",
            "{\"op\":\"unsubscribe\",\"id\":\"unsub-1\"}",
            "{\"op\":\"publish\",\"channel\":\"room\",\"payload\":2,\"id\":\"p-2\"}",
            "[\"op\",\"publish\"]");
    requests.forEach(client::sendText);

    awaitFrames(client, "error", requests.size());
    assertThat(client.frames("error"))
        .extracting(e -> e.getString("code"), e -> e.getValue("id"), e -> e.getValue("channel"))
        .containsExactly(
            tuple("bad_request", "no-op", "room"),
            tuple("unknown_op", "dance-1", "room"),
            tuple("bad_request", "since-1", "room"),
            tuple("bad_request", "chan-1", "no spaces!"),
            tuple("bad_request", 7, "room"),
            tuple("bad_request", "no-payload", "room"),
            tuple("bad_request", "again", "room"),
            tuple("bad_request", "unsub-1", null),
            tuple("rate_limited", "p-2", "room"),
            tuple("bad_json", null, null));
    assertThat(client.frames("error"))
        .allSatisfy(e -> assertThat(e.getString("message")).isNotBlank());
  }

  @Test
  void brokerUnavailableNamesTheSubscribeItAnswers() throws Exception {
    FeedLosingBroker broker = new FeedLosingBroker();
    WsNode node = new WsNode(Nodes.config(Map.of()), false, broker);
    loop.server().deployVerticle(node).await(20, TimeUnit.SECONDS);
    TestClient client = connect(node);
    // The broker learns the server's event loop from a first call.
    client.send(subscribe("other"));
    awaitFrames(client, "subscribed", 1);
    broker.failHistory(true);

    client.send(subscribe("news", 3).put("id", "resume-1"));

    awaitFrames(client, "error", 1);
    JsonObject error = client.frames("error").get(0);
    assertThat(error.getString("code")).isEqualTo("broker_unavailable");
    assertThat(error.getString("id")).isEqualTo("resume-1");
    assertThat(error.getString("channel")).isEqualTo("news");
  }
}
