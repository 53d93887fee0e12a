package io.wsfleet.node.admin;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Deadlines for connections to the admin port, so that a slow or stalled HTTP client cannot hold
 * one forever: a new connection must send a whole request (head and body) within the request
 * timeout, a request must be answered within it, and between requests a connection may stay idle
 * for {@link #KEEP_ALIVE}. Each progress re-arms one timer per connection.
 */
public final class AdminConnections implements Handler<HttpConnection> {

  /** Longer than any operator's scrape interval, so that its keep-alive connection is reused. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final long requestMillis;

  /** Per open connection: the timer that closes it, and the requests it has under way. */
  private static final class Deadline {
    long timer = -1;
    int inFlight;
  }

  private final Map<HttpConnection, Deadline> open = new HashMap<>();

  public AdminConnections(Vertx vertx, Duration requestTimeout) {
    this.vertx = vertx;
    this.requestMillis = requestTimeout.toMillis();
  }

  @Override
  public void handle(HttpConnection connection) {
    track(connection);
  }

  /** Wraps the request handler: each request and its answer run against the deadline. */
  public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
    return request -> {
      HttpConnection connection = request.connection();
      Deadline state = track(connection);
      state.inFlight++;
      arm(connection, state, requestMillis);
      request
          .response()
          .endHandler(
              ended -> {
                Deadline now = open.get(connection);
                if (now != null && --now.inFlight == 0) {
                  arm(connection, now, KEEP_ALIVE.toMillis());
                }
              });
      next.handle(request);
    };
  }

  private Deadline track(HttpConnection connection) {
    Deadline state = open.get(connection);
    if (state == null) {
      state = new Deadline();
      open.put(connection, state);
      arm(connection, state, requestMillis);
      connection.closeHandler(closed -> forget(connection));
    }
    return state;
  }

  private void arm(HttpConnection connection, Deadline state, long millis) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
    }
    state.timer = vertx.setTimer(millis, id -> connection.close());
  }

  private void forget(HttpConnection connection) {
    Deadline state = open.remove(connection);
    if (state != null && state.timer >= 0) {
      vertx.cancelTimer(state.timer);
    }
  }
}
