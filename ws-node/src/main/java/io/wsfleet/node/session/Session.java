package io.wsfleet.node.session;

import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A connected client: its socket and subscriptions. Kept small, since a server holds tens of
 * thousands: most clients subscribe to one channel, so the map exists only from the second.
 */
public final class Session {

  private final ServerWebSocket socket;
  private final Consumer<Session> onSlowConsumer;
  private Subscription first;
  private Map<String, Subscription> more;
  private TokenBucket publishBudget;
  private String closedBy;
  long lastSeenMillis;
  int protocolErrors;
  boolean closing;

  Session(ServerWebSocket socket, long nowMillis, Consumer<Session> onSlowConsumer) {
    this.socket = socket;
    this.lastSeenMillis = nowMillis;
    this.onSlowConsumer = onSlowConsumer;
  }

  public ServerWebSocket socket() {
    return socket;
  }

  void send(String frame) {
    if (closing) {
      return;
    }
    socket.writeTextMessage(frame);
    if (socket.writeQueueFull()) {
      onSlowConsumer.accept(this);
    }
  }

  /** Closes the socket once, remembering why for metrics; later calls do nothing. */
  public void close(short code, String reason, String why) {
    if (!closing) {
      closing = true;
      closedBy = why;
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
    return closing;
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
