package io.wsfleet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.wsfleet.node.testing.Admin;
import io.wsfleet.node.testing.NodeProcess;
import io.wsfleet.node.testing.Nodes;
import io.wsfleet.node.testing.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A pod deleted without a drain request: SIGTERM drains it within its grace period. */
class SigtermTest {

  @Test
  void sigtermClosesEveryClientWith1012WithinTheGracePeriodAndExitsZero() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (NodeProcess node =
        NodeProcess.start(
            Map.of("WSNODE_SHUTDOWN_GRACE_SECONDS", "5", "WSNODE_ADMIN_TOKEN", Nodes.TOKEN))) {
      WebSocketClient wsClient = TestClient.newClient(vertx);
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        clients.add(TestClient.connect(wsClient, node.clientPort()).await(10, TimeUnit.SECONDS));
      }
      await().until(() -> Admin.status(node.adminPort()).getInteger("connections") == 200);

      long start = System.nanoTime();
      node.terminate();
      Integer exitCode = node.waitForExit(Duration.ofSeconds(15));
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(exitCode).as(String.join("\n", node.output())).isZero();
      assertThat(seconds).isLessThan(5.0);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> clients.stream().allMatch(TestClient::closed));
      assertThat(clients).allSatisfy(c -> assertThat(c.closeCode()).isEqualTo((short) 1012));
      assertThat(node.output()).anyMatch(line -> line.contains("event=shutdown connections=200"));
      System.out.printf("SIGTERM with 200 clients: exited 0 after %.2f s%n", seconds);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
