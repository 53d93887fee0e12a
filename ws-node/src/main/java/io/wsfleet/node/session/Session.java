package io.wsfleet.node.session;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A connected client: its socket and subscriptions. Kept small, since a server holds tens of
 * thousands: most clients subscribe to one channel, so the map exists only from the second. The
 * session is itself the socket's frame handler, and links itself into its endpoint's list of
 * sessions ({@link #prev}, {@link #next}), so that no lambda or set entry is needed for either.
 */
public final class Session implements Handler<WebSocketFrame> {

  private static final String NO_CLOSE_FRAME = "no_close_frame";

  private final ServerWebSocket socket;
  private final ClientEndpoint endpoint;
  private Subscription first;
  private Map<String, Subscription> more;
  private TokenBucket publishBudget;

  /** The text message being received in fragments, null between messages. */
  Buffer fragments;

  /** Whether the message being received in fragments is binary (not kept: it is refused). */
  boolean binaryFragments;

  /** Why the server closed the connection; null while it has not (so also "not closing"). */
  private String closedBy;

  /** Neighbours in {@link ClientEndpoint}'s list of open sessions. */
  Session prev;

  Session next;

  /** Last frame or pong from the client; once closing, when the close began. */
  long lastSeenMillis;

  int protocolErrors;

  Session(ServerWebSocket socket, long nowMillis, ClientEndpoint endpoint) {
    this.socket = socket;
    this.lastSeenMillis = nowMillis;
    this.endpoint = endpoint;
  }

  /**
   * A frame the codec refused: close with the codec's own code (1009 for oversize). A connection
   * that ended without a close frame (reset, or closed under us) is no protocol error: it is
   * counted as {@code no_close_frame}.
   */
  void onFrameError(Throwable error) {
    if (error instanceof IOException || error instanceof HttpClosedException) {
      lost();
    } else if (error instanceof CorruptedWebSocketFrameException corrupted) {
      short code = (short) corrupted.closeStatus().code();
      close(
          code,
          corrupted.closeStatus().reasonText(),
          code == 1009 ? "message_too_big" : "bad_frame");
    } else {
      close(ClientEndpoint.POLICY_VIOLATION, "protocol error", "bad_frame");
    }
  }

  void onClosed() {
    endpoint.onClosed(this);
  }

  /**
   * Every frame from the client, after Vert.x answered a ping with a pong. Data frames are joined
   * here rather than by Vert.x, which would not check that text is UTF-8.
   */
  @Override
  public void handle(WebSocketFrame frame) {
    switch (frame.type()) {
      case TEXT, BINARY, CONTINUATION -> endpoint.onData(this, frame);
      case PING -> checkSendQueue();
      case PONG -> {
        if (closedBy == null) {
          lastSeenMillis = System.currentTimeMillis();
        }
      }
      default -> {
        // CLOSE: Vert.x answers it and calls the close handler.
      }
    }
  }

  public ServerWebSocket socket() {
    return socket;
  }

  void send(String frame) {
    if (closedBy != null || socket.isClosed()) {
      return;
    }
    try {
      socket.writeTextMessage(frame);
      checkSendQueue();
    } catch (IllegalStateException closedMeanwhile) {
      // The client closed while a fan-out was under way (Vert.x throws on a closed socket). Its
      // close handler cleans up; the fan-out must go on to the other subscribers.
    }
  }

  /**
   * Every byte written to the client counts toward its send queue, whoever wrote it: messages, our
   * pings, and the pongs Vert.x answers its pings with. A full queue closes it as a slow consumer
   * (1013). A client that pings again while closing with its queue still full reads nothing: its
   * close frame cannot reach it, and each ping would queue one more pong, so it is dropped.
   */
  void checkSendQueue() {
    if (socket.isClosed() || !socket.writeQueueFull()) {
      return;
    }
    if (closedBy == null) {
      endpoint.disconnectSlow(this);
    } else {
      abort();
    }
  }

  /**
   * Drops the TCP connection and whatever is queued for it, with no close handshake: Vert.x starts
   * its closing timeout only once the close frame is written, which a client that does not read
   * never lets happen. Closing from the pipeline's first handler skips Vert.x's own handler, which
   * would turn the close into that same handshake.
   */
  void abort() {
    ((WebSocketInternal) socket).channelHandlerContext().pipeline().firstContext().close();
  }

  /** Closes the socket once, remembering why (not null) for metrics; later calls do nothing. */
  public void close(short code, String reason, String why) {
    if (closedBy == null) {
      closedBy = Objects.requireNonNull(why);
      lastSeenMillis = System.currentTimeMillis();
      socket.close(code, reason);
    }
  }

  /** The connection ended without a close frame from the peer (a reset, a FIN, a timeout). */
  void lost() {
    if (closedBy == null && NO_CLOSE_FRAME.equals(closeLabel())) {
      closedBy = NO_CLOSE_FRAME;
    }
  }

  /** Why the connection ended: the server's reason, or the close code the peer sent. */
  public String closeLabel() {
    if (closedBy != null) {
      return closedBy;
    }
    Short code = socket.closeStatusCode();
    if (code == null) {
      return NO_CLOSE_FRAME;
    }
    return switch (code) {
      // 1006 is never sent: it is how a WebSocket stack reports a connection without a close frame.
      case 1006 -> NO_CLOSE_FRAME;
      case 1000, 1001 -> "client";
      case 1009 -> "message_too_big";
      default -> "code_" + code;
    };
  }

  public boolean isClosing() {
    return closedBy != null;
  }

  Subscription subscription(String channel) {
    if (first != null && first.channel.equals(channel)) {
      return first;
    }
    return more == null ? null : more.get(channel);
  }

  void add(Subscription subscription) {
    if (first == null) {
      first = subscription;
    } else {
      if (more == null) {
        more = new HashMap<>(4);
      }
      more.put(subscription.channel, subscription);
    }
  }

  void remove(Subscription subscription) {
    if (first == subscription) {
      first = null;
    } else if (more != null) {
      more.remove(subscription.channel);
    }
  }

  int subscriptionCount() {
    return (first == null ? 0 : 1) + (more == null ? 0 : more.size());
  }

  void forEachSubscription(Consumer<Subscription> action) {
    if (first != null) {
      action.accept(first);
    }
    if (more != null) {
      more.values().forEach(action);
    }
  }

  boolean tryPublish(int ratePerSecond, int burst, long nowNanos) {
    if (publishBudget == null) {
      publishBudget = new TokenBucket(burst, nowNanos);
    }
    return publishBudget.tryTake(ratePerSecond, burst, nowNanos);
  }
}
