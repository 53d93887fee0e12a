package io.wsfleet.node.drain;

import io.vertx.core.Vertx;
import io.wsfleet.node.session.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands clients over to other servers at a bounded rate: closes sockets with 1012 (Service Restart)
 * and a jittered reconnect delay in the reason, so they do not all come back at once. A full drain
 * also refuses new handshakes; a partial one (a count) only sheds load.
 */
public final class Drainer {

  /** WebSocket close code 1012: Service Restart. */
  public static final short SERVICE_RESTART = 1012;

  private static final Logger LOG = LoggerFactory.getLogger(Drainer.class);
  private static final long TICK_MILLIS = 100;

  /** What an admin asked for: a rate, a deadline and, for a partial drain, how many. */
  public record Request(int ratePerSecond, long deadlineMillis, Integer count) {}

  /**
   * Progress, as /admin/status shows it: {@code draining} while a drain runs, {@code full} once a
   * full drain was asked for (a partial drain otherwise), {@code started} once any drain was.
   */
  public record Status(
      boolean draining,
      boolean full,
      boolean started,
      long remaining,
      int ratePerSecond,
      long deadlineMillis,
      long closed) {}

  private final Vertx vertx;
  private final Supplier<Collection<Session>> sessions;
  private final int reconnectDelayMaxMillis;
  private final Random random = new Random();
  private Request request;
  private boolean full;
  private boolean refusing;
  private long partialLeft;
  private long closed;
  private double budget;
  private long timer = -1;
  private long startedMillis;
  private long lastTickMillis;

  public Drainer(Vertx vertx, Supplier<Collection<Session>> sessions, int reconnectDelayMaxMillis) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.reconnectDelayMaxMillis = reconnectDelayMaxMillis;
  }

  /**
   * Starts a drain. A full drain already under way keeps going (a restarted operator asking again
   * does not restart it) but may be hurried by a sooner deadline or higher rate of another full
   * drain; a partial drain asked meanwhile changes nothing (the pod is being emptied anyway, and
   * its rate must not speed up the full drain's reconnects).
   */
  public void start(Request wanted, long nowMillis) {
    if (timer >= 0 && full && wanted.count() != null) {
      LOG.info("event=drain-ignored mode=partial reason=full-drain-under-way");
      return;
    }
    if (timer >= 0 && full) {
      request =
          new Request(
              Math.max(request.ratePerSecond(), wanted.ratePerSecond()),
              Math.min(request.deadlineMillis(), wanted.deadlineMillis()),
              null);
      return;
    }
    request = wanted;
    full = wanted.count() == null;
    refusing = refusing || full;
    partialLeft = full ? 0 : Math.min(wanted.count(), openSessions().size());
    closed = 0;
    budget = 0;
    startedMillis = nowMillis;
    lastTickMillis = nowMillis;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setPeriodic(TICK_MILLIS, id -> tick(System.currentTimeMillis()));
    LOG.info(
        "event=drain-start mode={} connections={} rate={}/s deadline_in={}ms count={}",
        full ? "full" : "partial",
        openSessions().size(),
        wanted.ratePerSecond(),
        wanted.deadlineMillis() - nowMillis,
        full ? "all" : partialLeft);
  }

  private void tick(long nowMillis) {
    List<Session> open = openSessions();
    long elapsedMillis = Math.max(0, nowMillis - lastTickMillis);
    lastTickMillis = nowMillis;
    long toClose = full ? open.size() : partialLeft;
    if (toClose == 0) {
      finish("completed", nowMillis);
      return;
    }
    long quota;
    if (nowMillis >= request.deadlineMillis()) {
      quota = toClose;
      LOG.warn("event=drain-deadline closing={} at_once", toClose);
    } else {
      // Paced by the clock, not by tick count: a busy event loop delays ticks, and the drain
      // must still take count/rate seconds rather than stretch with every late tick.
      budget += request.ratePerSecond() * elapsedMillis / 1000.0;
      quota = Math.min(toClose, (long) budget);
      budget -= quota;
    }
    for (int i = 0; i < quota && i < open.size(); i++) {
      open.get(i).close(SERVICE_RESTART, reconnectHint(), "drain");
      closed++;
      if (!full) {
        partialLeft--;
      }
    }
    if (nowMillis >= request.deadlineMillis()) {
      finish("deadline", nowMillis);
    }
  }

  /** The close reason clients read: how long to wait before reconnecting, jittered. */
  String reconnectHint() {
    int delay = reconnectDelayMaxMillis == 0 ? 0 : random.nextInt(reconnectDelayMaxMillis + 1);
    return "{\"reconnectAfterMs\":" + delay + "}";
  }

  private void finish(String how, long nowMillis) {
    vertx.cancelTimer(timer);
    timer = -1;
    LOG.info(
        "event=drain-{} mode={} closed={} took={}ms",
        how,
        full ? "full" : "partial",
        closed,
        nowMillis - startedMillis);
  }

  private List<Session> openSessions() {
    List<Session> open = new ArrayList<>();
    for (Session session : sessions.get()) {
      if (!session.isClosing()) {
        open.add(session);
      }
    }
    return open;
  }

  /** True once a full drain started: new handshakes get 503. */
  public boolean refusesNewConnections() {
    return refusing;
  }

  private boolean isDraining() {
    return timer >= 0;
  }

  public Status status() {
    long remaining = !isDraining() ? 0 : full ? openSessions().size() : partialLeft;
    return new Status(
        isDraining(),
        full,
        request != null,
        remaining,
        request == null ? 0 : request.ratePerSecond(),
        request == null ? 0 : request.deadlineMillis(),
        closed);
  }
}
