package io.wsfleet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.RawClient;
import io.wsfleet.node.testing.VertxPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slow HTTP clients on the admin port do not hold its connections forever. Real sockets. */
class AdminTimeoutsTest {

  @RegisterExtension final VertxPair loop = new VertxPair();

  private WsNode start() throws Exception {
    return Nodes.start(loop.server(), Map.of("WSNODE_ADMIN_REQUEST_TIMEOUT_SECONDS", "1"));
  }

  private RawClient raw(WsNode node, String sent) {
    return loop.closeAfter(RawClient.connect(node.adminPort()).sendAscii(sent));
  }

  @Test
  void requestsThatNeverFinishAreClosedAfterTheTimeout() throws Exception {
    WsNode node = start();
    RawClient nothing = raw(node, "");
    RawClient halfLine = raw(node, "GET /admin/sta");
    RawClient halfHead = raw(node, "GET /health/live HTTP/1.1\r\nHost: x\r\n");
    RawClient halfBody =
        raw(
            node,
            "POST /admin/drain HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + Nodes.TOKEN
                + "\r\nContent-Length: 40\r\n\r\n{\"count\"");
    List<RawClient> slow = List.of(nothing, halfLine, halfHead, halfBody);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slow.stream().allMatch(RawClient::closedByServer));
    // The half-sent drain started nothing.
    assertThat(Admin.status(node.adminPort()).getBoolean("draining")).isFalse();
  }

  @Test
  void aKeepAliveConnectionServesRequestAfterRequest() throws Exception {
    WsNode node = start();
    RawClient client = raw(node, "");

    for (int i = 0; i < 3; i++) {
      client.sendAscii("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(client.readHttpHead()).startsWith("HTTP/1.1 200");
      assertThat(client.closedByServer()).isFalse();
    }
  }
}
