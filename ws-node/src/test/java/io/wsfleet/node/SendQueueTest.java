package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that stop reading: every byte the server writes to them (pongs, pings, close frames,
 * messages) counts toward their send queue, and they are torn down, not kept.
 */
class SendQueueTest {

  /** Far more than loopback socket buffers (4 MiB at most here) and the queue together. */
  private static final long FLOOD_BYTES = 16L << 20;

  @RegisterExtension final VertxPair loop = new VertxPair();
  private RawClient raw;

  private static String metrics(WsNode node) {
    return Admin.get(node.adminPort(), "/metrics", Nodes.TOKEN).body();
  }

  /**
   * Takes from under a second to about 20 s, mostly spent filling the server's kernel send buffer
   * (autotuned up to 4 MiB): on loopback the server's ACKs to a client whose window is shut can be
   * delayed, which slows the pings down. The timeout guards the write loop, which has none.
   */
  @Test
  @Timeout(120)
  void pongsToAClientThatStoppedReadingCountTowardItsSendQueue() throws Exception {
    WsNode node = Nodes.start(loop.server(), Map.of("WSNODE_SEND_QUEUE_MAX_BYTES", "65536"));
    raw = loop.closeAfter(RawClient.webSocket(node.clientPort(), 4096));
    ByteArrayOutputStream pings = new ByteArrayOutputStream();
    for (int i = 0; i < 100; i++) {
      pings.writeBytes(RawClient.frame(RawClient.PING, new byte[125]));
    }
    byte[] batch = pings.toByteArray();

    // Pings, never reading a pong, until the server tears the connection down (or far beyond).
    long sent = 0;
    while (sent < FLOOD_BYTES && raw.trySend(batch)) {
      sent += batch.length;
    }

    assertThat(sent).as("bytes of pings the server took without closing").isLessThan(FLOOD_BYTES);
    await("the pinging client counted and gone")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics(node))
                    .contains(
                        "wsnode_slow_consumer_disconnects_total 1.0",
                        "wsnode_connections_closed_total{reason=\"slow_consumer\"} 1.0",
                        "wsnode_connections 0.0"));
  }

  @Test
  void slowConsumerThatReadsNothingMoreIsTornDownThoughItsCloseFrameCannotReachIt()
      throws Exception {
    WsNode node =
        Nodes.start(
            loop.server(),
            Map.of(
                "WSNODE_SEND_QUEUE_MAX_BYTES", "65536",
                "WSNODE_PING_INTERVAL_SECONDS", "1",
                "WSNODE_PUBLISH_RATE_PER_SECOND", "100000",
                "WSNODE_PUBLISH_BURST", "100000"));
    raw = loop.closeAfter(RawClient.webSocket(node.clientPort(), 4096));
    raw.send(
        RawClient.frame(
            RawClient.TEXT,
            "{\"op\":\"subscribe\",\"channel\":\"firehose\"}".getBytes(StandardCharsets.UTF_8)));
    assertThat(raw.readFrame().text()).contains("\"subscribed\"");
    TestClient publisher =
        TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
    String big = "z".repeat(60_000);

    // The subscriber reads nothing more and sends nothing more: its 1013 close frame waits
    // behind a queue that never drains.
    await("the subscriber closed as a slow consumer")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (int i = 0; i < 8; i++) {
                publisher.send(publish("firehose", big));
              }
              return metrics(node).contains("wsnode_slow_consumer_disconnects_total 1.0");
            });

    await("the slow consumer's connection torn down")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics(node))
                    .contains(
                        "wsnode_connections_closed_total{reason=\"slow_consumer\"} 1.0",
                        "wsnode_connections 1.0"));
    assertThat(publisher.closed()).isFalse();
  }
}
