package io.wsfleet.node.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server Vert.x and a client Vert.x with its WebSocket client, new for each test and closed after
 * it (after the test's own {@code @AfterEach}), with whatever the test handed to {@link
 * #closeAfter} closed first. Register with {@code @RegisterExtension}.
 */
public final class VertxPair implements BeforeEachCallback, AfterEachCallback {

  private Vertx server;
  private Vertx client;
  // Held: Vert.x closes the connections of a client that is garbage-collected.
  private WebSocketClient ws;
  private final List<AutoCloseable> closeFirst = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    server = Vertx.vertx();
    client = Vertx.vertx();
    ws = TestClient.newClient(client);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (AutoCloseable c : closeFirst) {
      c.close();
    }
    closeFirst.clear();
    client.close().await(10, TimeUnit.SECONDS);
    server.close().await(10, TimeUnit.SECONDS);
  }

  /** Closes {@code resource} (a raw socket, say) after the test, before the Vert.x instances. */
  public <T extends AutoCloseable> T closeAfter(T resource) {
    closeFirst.add(resource);
    return resource;
  }

  /** The Vert.x the servers under test run on. */
  public Vertx server() {
    return server;
  }

  /** The Vert.x the test's clients run on. */
  public Vertx client() {
    return client;
  }

  /** The WebSocket client on {@link #client()}. */
  public WebSocketClient ws() {
    return ws;
  }
}
