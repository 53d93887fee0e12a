package io.wsfleet.node;

import static io.wsfleet.node.testing.TestClient.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RawClient;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.node.testing.VertxPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connections that never finish the WebSocket upgrade (slowloris): timed out, and capped. */
class HandshakeLimitsTest {

  /** Half a request line: the server waits for the rest, which never comes. */
  private static final String HALF_REQUEST = "GET /ws HT";

  @RegisterExtension final VertxPair loop = new VertxPair();

  private TestClient connect(WsNode node) throws Exception {
    return TestClient.connect(loop.ws(), node.clientPort()).await(10, TimeUnit.SECONDS);
  }

  private RawClient halfRequest(WsNode node) {
    RawClient client = RawClient.connect(node.clientPort()).sendAscii(HALF_REQUEST);
    loop.closeAfter(client);
    return client;
  }

  private static String metrics(WsNode node) {
    return Admin.get(node.adminPort(), "/metrics", Nodes.TOKEN).body();
  }

  @Test
  void handshakesThatNeverFinishAreClosedAfterTheTimeout() throws Exception {
    WsNode node = start(Map.of("WSNODE_HANDSHAKE_TIMEOUT_SECONDS", "2"));
    TestClient upgraded = connect(node);
    List<RawClient> loris = List.of(halfRequest(node), halfRequest(node), halfRequest(node));

    assertThat(loris).noneMatch(RawClient::closedByServer);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> loris.stream().allMatch(RawClient::closedByServer));
    assertThat(metrics(node))
        .contains("wsnode_connections_rejected_total{reason=\"handshake_timeout\"} 3.0");
    // Older than the timeout, but upgraded: a session, not a pending handshake.
    assertThat(upgraded.closed()).isFalse();
    upgraded.send(subscribe("room"));
    await().atMost(Duration.ofSeconds(10)).until(() -> upgraded.frames("subscribed").size() == 1);
  }

  @Test
  void pendingHandshakesBeyondTheCapAreClosedAtOnce() throws Exception {
    WsNode node =
        start(
            Map.of(
                "WSNODE_MAX_PENDING_HANDSHAKES", "2", "WSNODE_HANDSHAKE_TIMEOUT_SECONDS", "300"));
    RawClient first = halfRequest(node);
    RawClient second = halfRequest(node);

    RawClient third = RawClient.connect(node.clientPort());
    loop.closeAfter(third);

    await("a handshake beyond the pending cap closed at once")
        .atMost(Duration.ofSeconds(5))
        .until(third::closedByServer);
    assertThat(first.closedByServer()).isFalse();
    assertThat(second.closedByServer()).isFalse();
    assertThat(metrics(node))
        .contains(
            "wsnode_connections_rejected_total{reason=\"pending_cap\"} 1.0",
            "wsnode_handshakes_pending 2.0");
    first.close();
    second.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics(node).contains("wsnode_handshakes_pending 0.0"));
    TestClient client = connect(node);
    client.send(subscribe("room"));
    await().atMost(Duration.ofSeconds(10)).until(() -> client.frames("subscribed").size() == 1);
    assertThat(metrics(node)).contains("wsnode_handshakes_pending 0.0", "wsnode_connections 1.0");
  }

  @Test
  void refusedHandshakesEndTheirConnectionInsteadOfWaitingForTheTimeout() throws Exception {
    WsNode node =
        start(Map.of("WSNODE_MAX_CONNECTIONS", "1", "WSNODE_HANDSHAKE_TIMEOUT_SECONDS", "300"));
    connect(node);
    RawClient overCap = RawClient.connect(node.clientPort()).sendAscii(RawClient.UPGRADE_REQUEST);
    RawClient wrongPath =
        RawClient.connect(node.clientPort()).sendAscii("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
    loop.closeAfter(overCap);
    loop.closeAfter(wrongPath);

    assertThat(overCap.readHttpHead()).startsWith("HTTP/1.1 503");
    assertThat(wrongPath.readHttpHead()).startsWith("HTTP/1.1 404");

    // Nothing more can happen on them: they must not hold a pending slot for the whole timeout.
    await("refused connections closed by the server")
        .atMost(Duration.ofSeconds(5))
        .until(() -> overCap.closedByServer() && wrongPath.closedByServer());
    assertThat(metrics(node)).contains("wsnode_handshakes_pending 0.0");
  }

  private WsNode start(Map<String, String> settings) throws Exception {
    return Nodes.start(loop.server(), settings);
  }
}
