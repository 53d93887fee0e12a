package io.wsfleet.node.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real WebSocket client that records every frame it receives and how it was closed. */
public final class TestClient {

  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private volatile WebSocket socket;
  private volatile Short closeCode;
  private volatile String closeReason;
  // Set last in the close handler: isClosed() turns true before the code and reason are known.
  private volatile boolean closeHandled;

  private TestClient() {}

  public static Future<TestClient> connect(WebSocketClient client, int port) {
    return connect(client, "127.0.0.1", port);
  }

  public static Future<TestClient> connect(WebSocketClient client, String host, int port) {
    TestClient testClient = new TestClient();
    return client
        .connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws"))
        .map(
            socket -> {
              testClient.socket = socket;
              socket.textMessageHandler(text -> testClient.frames.add(new JsonObject(text)));
              socket.closeHandler(
                  v -> {
                    testClient.closeReason = socket.closeReason();
                    testClient.closeCode = socket.closeStatusCode();
                    testClient.closeHandled = true;
                  });
              return testClient;
            });
  }

  public static WebSocketClient newClient(Vertx vertx) {
    return vertx.createWebSocketClient(
        new io.vertx.core.http.WebSocketClientOptions()
            .setMaxConnections(100_000)
            .setMaxFrameSize(16 * 1024 * 1024)
            .setMaxMessageSize(16 * 1024 * 1024));
  }

  public void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  public void sendText(String text) {
    socket.writeTextMessage(text);
  }

  public WebSocket socket() {
    return socket;
  }

  public List<JsonObject> frames() {
    return frames;
  }

  public List<JsonObject> frames(String type) {
    return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
  }

  public boolean closed() {
    return closeHandled;
  }

  public Short closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  public static JsonObject subscribe(String channel) {
    return new JsonObject().put("op", "subscribe").put("channel", channel);
  }

  public static JsonObject subscribe(String channel, long since) {
    return subscribe(channel).put("since", since);
  }

  public static JsonObject publish(String channel, Object payload) {
    return new JsonObject().put("op", "publish").put("channel", channel).put("payload", payload);
  }
}
