package io.wsfleet.node.session;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A connected client: its socket and subscriptions. Kept small, since a server holds tens of
 * thousands: most clients subscribe to one channel, so the map exists only from the second. The
 * session is itself the socket's text-message handler, and links itself into its endpoint's list of
 * sessions ({@link #prev}, {@link #next}), so that no lambda or set entry is needed for either.
 */
public final class Session implements Handler<String> {

  private final ServerWebSocket socket;
  private final ClientEndpoint endpoint;
  private Subscription first;
  private Map<String, Subscription> more;
  private TokenBucket publishBudget;

  /** Why the server closed the connection; null while it has not (so also "not closing"). */
  private String closedBy;

  /** Neighbours in {@link ClientEndpoint}'s list of open sessions. */
  Session prev;

  Session next;
  long lastSeenMillis;
  int protocolErrors;

  Session(ServerWebSocket socket, long nowMillis, ClientEndpoint endpoint) {
    this.socket = socket;
    this.lastSeenMillis = nowMillis;
    this.endpoint = endpoint;
  }

  void onBinary() {
    endpoint.onBinary(this);
  }

  void onFrameError(Throwable error) {
    endpoint.onFrameError(this, error);
  }

  void onClosed() {
    endpoint.onClosed(this);
  }

  /** A text message from the client. */
  @Override
  public void handle(String text) {
    endpoint.onText(this, text);
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
      if (socket.writeQueueFull()) {
        endpoint.disconnectSlow(this);
      }
    } catch (IllegalStateException closedMeanwhile) {
      // The client closed while a fan-out was under way (Vert.x throws on a closed socket). Its
      // close handler cleans up; the fan-out must go on to the other subscribers.
    }
  }

  /** Closes the socket once, remembering why (not null) for metrics; later calls do nothing. */
  public void close(short code, String reason, String why) {
    if (closedBy == null) {
      closedBy = Objects.requireNonNull(why);
      socket.close(code, reason);
    }
  }

  /** Why the connection ended: the server's reason, or the close code the peer sent. */
  public String closeLabel() {
    if (closedBy != null) {
      return closedBy;
    }
    Short code = socket.closeStatusCode();
    if (code == null) {
      return "connection_lost";
    }
    return switch (code) {
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
