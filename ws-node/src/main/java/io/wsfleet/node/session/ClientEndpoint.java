package io.wsfleet.node.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import io.wsfleet.node.broker.Broker;
import io.wsfleet.node.config.NodeConfig;
import io.wsfleet.node.drain.Drainer;
import io.wsfleet.node.metrics.NodeMetrics;
import io.wsfleet.node.protocol.ClientFrame;
import io.wsfleet.node.protocol.ProtocolException;
import io.wsfleet.node.protocol.ServerFrames;
import java.util.ArrayList;
import java.util.Collection;

/**
 * The client port: admits WebSocket handshakes under the cap, runs the JSON protocol, and keeps
 * idle and abusive clients from costing the others anything.
 */
public final class ClientEndpoint {

  public static final String PATH = "/ws";
  static final short POLICY_VIOLATION = 1008;
  private static final short TRY_AGAIN_LATER = 1013;
  private static final short GOING_AWAY = 1001;
  private static final short MESSAGE_TOO_BIG = 1009;
  private static final short INVALID_PAYLOAD = 1007;

  private final NodeConfig config;
  private final ChannelRegistry registry;
  private final Broker broker;
  private final Drainer drainer;
  private final NodeMetrics metrics;
  private final HandshakeGuard handshakes;

  private final SessionList sessions = new SessionList();
  private int upgrading;

  public ClientEndpoint(
      NodeConfig config,
      ChannelRegistry registry,
      Broker broker,
      Drainer drainer,
      NodeMetrics metrics,
      HandshakeGuard handshakes) {
    this.config = config;
    this.registry = registry;
    this.broker = broker;
    this.drainer = drainer;
    this.metrics = metrics;
    this.handshakes = handshakes;
  }

  public Collection<Session> sessions() {
    return sessions;
  }

  public int connections() {
    return sessions.size();
  }

  public void handle(HttpServerRequest request) {
    if (!PATH.equals(request.path())) {
      answerAndClose(request, 404, "WebSocket endpoint is " + PATH + "\n");
      return;
    }
    if (!request.canUpgradeToWebSocket()) {
      answerAndClose(request, 400, "WebSocket upgrade required\n");
      return;
    }
    if (drainer.refusesNewConnections()) {
      refuse(request, "draining");
      return;
    }
    if (sessions.size() + upgrading >= config.maxConnections()) {
      refuse(request, "capacity");
      return;
    }
    upgrading++;
    request
        .toWebSocket()
        .onComplete(
            upgraded -> {
              upgrading--;
              if (upgraded.succeeded()) {
                handshakes.upgraded(request.connection());
                open(upgraded.result());
              } else {
                metrics.rejected.labelValues("handshake_failed").inc();
              }
            });
  }

  private void refuse(HttpServerRequest request, String reason) {
    metrics.rejected.labelValues(reason).inc();
    request.response().putHeader("Retry-After", Integer.toString(config.retryAfterSeconds()));
    answerAndClose(request, 503, reason + "\n");
  }

  /**
   * A connection whose handshake is refused serves nothing more: closed after the answer, it does
   * not hold a pending-handshake slot until the timeout (a client retrying at capacity would).
   */
  private static void answerAndClose(HttpServerRequest request, int status, String body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Connection", "close")
        .end(body)
        .onComplete(sent -> request.connection().close());
  }

  private void open(ServerWebSocket socket) {
    Session session = new Session(socket, System.currentTimeMillis(), this);
    sessions.link(session);
    metrics.opened.inc();
    socket.setWriteQueueMaxSize(config.sendQueueMaxBytes());
    // The session handles frames itself; each other handler captures only the session (16 B).
    // No text or binary message handler: Vert.x would join data frames without checking UTF-8.
    socket.frameHandler(session);
    socket.exceptionHandler(session::onFrameError);
    socket.closeHandler(closed -> session.onClosed());
  }

  void onClosed(Session session) {
    if (sessions.unlink(session)) {
      registry.remove(session);
      metrics.closed.labelValues(session.closeLabel()).inc();
    }
  }

  /**
   * A text, binary or continuation frame. Fragments are joined up to the message limit (1009
   * beyond); a text message that is not UTF-8 closes the client with 1007 and is never parsed.
   */
  void onData(Session session, WebSocketFrame frame) {
    if (!session.isClosing()) {
      // Once closing, it is when the close began: frames must not postpone dropping the client.
      session.lastSeenMillis = System.currentTimeMillis();
    }
    if (frame.type() == WebSocketFrameType.BINARY || session.binaryFragments) {
      session.binaryFragments = !frame.isFinal();
      if (frame.isFinal()) {
        refuseFrame(
            session,
            new ProtocolException("bad_json", "binary frames are not supported"),
            null,
            null);
      }
      return;
    }
    Buffer message = frame.binaryData();
    if (session.fragments != null) {
      message = session.fragments.appendBuffer(message);
    }
    if (message.length() > config.maxFrameBytes()) {
      session.fragments = null;
      session.close(MESSAGE_TOO_BIG, "message too big", "message_too_big");
      return;
    }
    if (!frame.isFinal()) {
      session.fragments = session.fragments == null ? message.copy() : message;
      return;
    }
    session.fragments = null;
    String text = StrictUtf8.decode(message);
    if (text == null) {
      metrics.protocolErrors.labelValues("bad_utf8").inc();
      session.close(INVALID_PAYLOAD, "text is not UTF-8", "bad_utf8");
      return;
    }
    onText(session, text);
  }

  /**
   * One request. Its error frames carry its {@code id} and {@code channel} as sent, once it is a
   * JSON object at all, so that a client can tell which request failed.
   */
  private void onText(Session session, String text) {
    JsonObject json;
    ClientFrame frame;
    try {
      json = ClientFrame.object(text);
    } catch (ProtocolException e) {
      refuseFrame(session, e, null, null);
      return;
    }
    try {
      frame = ClientFrame.parse(json);
    } catch (ProtocolException e) {
      refuseFrame(session, e, json.getValue("id"), json.getValue("channel"));
      return;
    }
    if (frame instanceof ClientFrame.Subscribe subscribe) {
      if (session.subscriptionCount() >= config.maxSubscriptions()) {
        refuseFrame(
            session,
            new ProtocolException(
                "bad_request",
                "at most "
                    + config.maxSubscriptions()
                    + " subscriptions (WSNODE_MAX_SUBSCRIPTIONS)"),
            subscribe.id(),
            subscribe.channel());
        return;
      }
      registry.subscribe(session, subscribe);
    } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
      registry.unsubscribe(session, unsubscribe.channel());
      session.send(ServerFrames.unsubscribed(unsubscribe.channel()));
    } else if (frame instanceof ClientFrame.Publish publish) {
      publish(session, publish);
    }
  }

  private void publish(Session session, ClientFrame.Publish publish) {
    if (!session.tryPublish(
        config.publishRatePerSecond(), config.publishBurst(), System.nanoTime())) {
      refuseFrame(
          session,
          new ProtocolException(
              "rate_limited",
              "more than " + config.publishRatePerSecond() + " publishes a second; not published"),
          publish.id(),
          publish.channel());
      return;
    }
    broker
        .publish(publish.channel(), publish.payloadJson())
        .onSuccess(
            offset -> {
              metrics.published.inc();
              session.send(ServerFrames.published(publish.channel(), offset, publish.id()));
            })
        .onFailure(
            error -> {
              metrics.brokerErrors.inc();
              session.send(
                  ServerFrames.error(
                      "broker_unavailable",
                      "not published: " + error.getMessage(),
                      publish.id(),
                      publish.channel()));
            });
  }

  /** An error frame; past the limit of bad frames the client is closed with 1008. */
  private void refuseFrame(Session session, ProtocolException problem, Object id, Object channel) {
    metrics.protocolErrors.labelValues(problem.code()).inc();
    session.send(ServerFrames.error(problem.code(), problem.getMessage(), id, channel));
    if (++session.protocolErrors >= config.maxProtocolErrors()) {
      session.close(POLICY_VIOLATION, "too many invalid frames", "protocol_errors");
    }
  }

  void disconnectSlow(Session session) {
    metrics.slowConsumers.inc();
    session.close(TRY_AGAIN_LATER, "slow consumer: resume with since", "slow_consumer");
  }

  /**
   * Pings every client and closes those silent for longer than the idle timeout. A client the
   * server began closing a whole ping interval ago has not taken its close frame: it is dropped.
   */
  public void sweep(long nowMillis) {
    long idleMillis = config.idleTimeout().toMillis();
    long closingMillis = config.pingInterval().toMillis();
    Buffer empty = Buffer.buffer();
    for (Session session : new ArrayList<>(sessions)) {
      if (session.isClosing()) {
        if (nowMillis - session.lastSeenMillis > closingMillis) {
          session.abort();
        }
      } else if (nowMillis - session.lastSeenMillis > idleMillis) {
        session.close(GOING_AWAY, "idle timeout", "idle");
      } else {
        session.socket().writePing(empty);
        session.checkSendQueue();
      }
    }
  }
}
