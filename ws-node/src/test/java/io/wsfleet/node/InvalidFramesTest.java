package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RawClient;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Frames a WebSocket library would not send: invalid UTF-8, fragments. Written by hand. */
class InvalidFramesTest {

  private static final byte[] PUBLISH_PREFIX =
      "{\"op\":\"publish\",\"channel\":\"room\",\"payload\":\"".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PUBLISH_SUFFIX = "\"}".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension final VertxPair loop = new VertxPair();
  private RawClient raw;

  private TestClient subscriber(WsNode node) throws Exception {
    TestClient client =
        TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
    client.send(subscribe("room"));
    await().atMost(Duration.ofSeconds(10)).until(() -> client.frames("subscribed").size() == 1);
    return client;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static String metrics(WsNode node) {
    return Admin.get(node.adminPort(), "/metrics", Nodes.TOKEN).body();
  }

  /** Publishes one valid message: when it reaches the subscriber, nothing else was before it. */
  private void assertOnlyValidMessagePublished(WsNode node, TestClient subscriber)
      throws Exception {
    TestClient publisher =
        TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
    publisher.send(publish("room", "valid"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.frames("message").isEmpty());
    assertThat(subscriber.frames("message"))
        .extracting(m -> m.getValue("payload"), m -> m.getLong("offset"))
        .containsExactly(tuple("valid", 1L));
  }

  @Test
  void invalidUtf8InATextFrameCloses1007AndIsNeverPublished() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of());
    TestClient subscriber = subscriber(node);
    raw = loop.closeAfter(RawClient.webSocket(node.clientPort(), 65_536));

    // 0xC3 opens a two-byte character; 0x28 ('(') cannot continue it.
    raw.send(
        RawClient.frame(
            RawClient.TEXT,
            concat(PUBLISH_PREFIX, new byte[] {(byte) 0xC3, (byte) 0x28}, PUBLISH_SUFFIX)));

    RawClient.Frame answer = raw.readFrame();
    assertThat(answer.opcode()).as("answer %s", answer.text()).isEqualTo(RawClient.CLOSE);
    assertThat(answer.closeCode()).isEqualTo(1007);
    assertOnlyValidMessagePublished(node, subscriber);
    raw.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics(node))
                    .contains(
                        "wsnode_protocol_errors_total{code=\"bad_utf8\"} 1.0",
                        "wsnode_connections_closed_total{reason=\"bad_utf8\"} 1.0"));
  }

  @Test
  void invalidUtf8InAContinuationFrameCloses1007AndIsNeverPublished() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of());
    TestClient subscriber = subscriber(node);
    raw = loop.closeAfter(RawClient.webSocket(node.clientPort(), 65_536));

    // 0xED 0xA0 0x80 would be U+D800, a surrogate: not a character UTF-8 may encode.
    raw.send(RawClient.frame(RawClient.TEXT, PUBLISH_PREFIX, false));
    raw.send(
        RawClient.frame(
            RawClient.CONTINUATION,
            concat(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, PUBLISH_SUFFIX)));

    RawClient.Frame answer = raw.readFrame();
    assertThat(answer.opcode()).as("answer %s", answer.text()).isEqualTo(RawClient.CLOSE);
    assertThat(answer.closeCode()).isEqualTo(1007);
    assertOnlyValidMessagePublished(node, subscriber);
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsPublishedWhole() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of());
    TestClient subscriber = subscriber(node);
    raw = loop.closeAfter(RawClient.webSocket(node.clientPort(), 65_536));
    byte[] e = "\u00e9".getBytes(StandardCharsets.UTF_8);

    raw.send(RawClient.frame(RawClient.TEXT, concat(PUBLISH_PREFIX, new byte[] {e[0]}), false));
    raw.send(RawClient.frame(RawClient.CONTINUATION, concat(new byte[] {e[1]}, PUBLISH_SUFFIX)));

    await().atMost(Duration.ofSeconds(10)).until(() -> !subscriber.frames("message").isEmpty());
    assertThat(subscriber.frames("message").get(0).getString("payload")).isEqualTo("\u00e9");
    assertThat(raw.readFrame().text()).contains("\"published\"");
  }

  @Test
  void fragmentsAboveTheMessageLimitClose1009() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of("WSNODE_MAX_FRAME_BYTES", "1024"));
    TestClient subscriber = subscriber(node);
    raw = loop.closeAfter(RawClient.webSocket(node.clientPort(), 65_536));
    byte[] filler = "x".repeat(800).getBytes(StandardCharsets.US_ASCII);

    // Each frame is under the limit; the message they make is not.
    raw.send(RawClient.frame(RawClient.TEXT, concat(PUBLISH_PREFIX, filler), false));
    raw.send(RawClient.frame(RawClient.CONTINUATION, concat(filler, PUBLISH_SUFFIX)));

    RawClient.Frame answer = raw.readFrame();
    assertThat(answer.opcode()).as("answer %s", answer.text()).isEqualTo(RawClient.CLOSE);
    assertThat(answer.closeCode()).isEqualTo(1009);
    assertOnlyValidMessagePublished(node, subscriber);
  }

  @Test
  void binaryMessagesGetAnErrorFrameAndAreNotPublished() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of());
    TestClient subscriber = subscriber(node);
    TestClient binary =
        TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);

    binary.socket().writeBinaryMessage(Buffer.buffer(PUBLISH_PREFIX));

    await().atMost(Duration.ofSeconds(10)).until(() -> !binary.frames("error").isEmpty());
    assertThat(binary.frames("error").get(0).getString("code")).isEqualTo("bad_json");
    assertThat(binary.closed()).isFalse();
    assertOnlyValidMessagePublished(node, subscriber);
  }
}
