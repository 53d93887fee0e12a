package io.wsfleet.node.session;

import io.prometheus.metrics.core.metrics.Counter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds TCP connections on the client port that are not WebSockets yet: each gets a deadline to
 * finish its upgrade, and only so many may wait at once. Without it a peer that sends half a
 * request line holds a socket forever, outside the connection cap (slowloris).
 */
public final class HandshakeGuard implements Handler<HttpConnection> {

  private final Vertx vertx;
  private final long timeoutMillis;
  private final int maxPending;
  private final Counter rejected;

  /** Connections not upgraded yet, with the timer that closes them; empty once they upgrade. */
  private final Map<HttpConnection, Long> pending = new HashMap<>();

  public HandshakeGuard(Vertx vertx, Duration timeout, int maxPending, Counter rejected) {
    this.vertx = vertx;
    this.timeoutMillis = timeout.toMillis();
    this.maxPending = maxPending;
    this.rejected = rejected;
  }

  /** A new TCP connection: closed at once beyond the cap, else given its deadline. */
  @Override
  public void handle(HttpConnection connection) {
    if (pending.size() >= maxPending) {
      rejected.labelValues("pending_cap").inc();
      connection.close();
      return;
    }
    pending.put(connection, vertx.setTimer(timeoutMillis, id -> expire(connection)));
    connection.closeHandler(closed -> forget(connection));
  }

  private void expire(HttpConnection connection) {
    if (pending.remove(connection) != null) {
      rejected.labelValues("handshake_timeout").inc();
      connection.close();
    }
  }

  /** The connection is a WebSocket now: a session, under the connection cap and idle timeout. */
  void upgraded(HttpConnection connection) {
    if (forget(connection)) {
      connection.closeHandler(null);
    }
  }

  private boolean forget(HttpConnection connection) {
    Long timer = pending.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    return timer != null;
  }

  public int pending() {
    return pending.size();
  }
}
