package io.wsfleet.node.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A well-behaved client: on 1012 it waits the hinted delay, reconnects to another server and
 * resumes with {@code since}; it records every numbered message to check for loss, duplicates and
 * order. Runs on one Vert.x event loop; read results once the test is done sending.
 */
public final class ResumingClient {

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String channel;
  private final Supplier<SocketAddress> next;
  private final List<Integer> received = new ArrayList<>();
  private volatile long lastOffset = -1;
  private volatile boolean subscribed;
  private volatile int restartCloses;
  private volatile int reconnects;
  private volatile int badHints;
  private volatile String problem;

  /** Reconnects to servers on 127.0.0.1, at the ports {@code nextPort} names in turn. */
  public ResumingClient(Vertx vertx, WebSocketClient client, String channel, IntSupplier nextPort) {
    this(vertx, client, channel, () -> loopback(nextPort.getAsInt()));
  }

  /** Reconnects to the servers {@code next} names in turn (e.g. a Service's pods). */
  public ResumingClient(
      Vertx vertx, WebSocketClient client, String channel, Supplier<SocketAddress> next) {
    this.vertx = vertx;
    this.client = client;
    this.channel = channel;
    this.next = next;
  }

  public void connect(int port) {
    connect(loopback(port));
  }

  public void connect(SocketAddress server) {
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost(server.host())
                .setPort(server.port())
                .setURI("/ws"))
        .onSuccess(this::opened)
        .onFailure(e -> vertx.setTimer(200, id -> connect(next.get())));
  }

  private static SocketAddress loopback(int port) {
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  private void opened(WebSocket socket) {
    socket.textMessageHandler(text -> onFrame(new JsonObject(text)));
    socket.closeHandler(v -> onClose(socket.closeStatusCode(), socket.closeReason()));
    JsonObject subscribe = new JsonObject().put("op", "subscribe").put("channel", channel);
    if (lastOffset >= 0) {
      subscribe.put("since", lastOffset);
    }
    socket.writeTextMessage(subscribe.encode());
  }

  private void onFrame(JsonObject frame) {
    switch (frame.getString("type")) {
      case "subscribed" -> {
        if (lastOffset < 0) {
          lastOffset = frame.getLong("offset");
        }
        subscribed = true;
      }
      case "message" -> {
        long offset = frame.getLong("offset");
        if (offset <= lastOffset) {
          problem = "offset " + offset + " after " + lastOffset;
        }
        lastOffset = offset;
        received.add(frame.getJsonObject("payload").getInteger("n"));
      }
      default -> problem = "unexpected frame " + frame;
    }
  }

  private void onClose(Short code, String reason) {
    if (code == null || code != 1012) {
      problem = "closed with " + code + " " + reason;
      return;
    }
    restartCloses++;
    long delay;
    try {
      delay = new JsonObject(reason).getLong("reconnectAfterMs");
    } catch (RuntimeException e) {
      badHints++;
      delay = 0;
    }
    vertx.setTimer(
        Math.max(1, delay),
        id -> {
          reconnects++;
          connect(next.get());
        });
  }

  public boolean subscribed() {
    return subscribed;
  }

  public List<Integer> received() {
    return received;
  }

  public int restartCloses() {
    return restartCloses;
  }

  public int reconnects() {
    return reconnects;
  }

  public int badHints() {
    return badHints;
  }

  public String problem() {
    return problem;
  }
}
