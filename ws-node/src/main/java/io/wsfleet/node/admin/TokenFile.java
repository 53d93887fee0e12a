package io.wsfleet.node.admin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the admin token file (a mounted Secret, which the kubelet rewrites on rotation) when its
 * content may have changed: every {@link #PERIOD_MILLIS}, and when a request's token is not
 * accepted, at most once a second. Never logs a token.
 */
final class TokenFile {

  /** How often the file is read without a request asking: well within the kubelet's sync. */
  static final long PERIOD_MILLIS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
  private static final long MIN_INTERVAL_MILLIS = 1_000;

  private final Vertx vertx;
  private final String path;
  private final AdminTokens tokens;
  private final long graceSeconds;
  private long lastReadMillis;
  private Future<Void> reading;
  private boolean unreadable;

  TokenFile(Vertx vertx, String path, AdminTokens tokens, long graceSeconds, long startedMillis) {
    this.vertx = vertx;
    this.path = path;
    this.tokens = tokens;
    this.graceSeconds = graceSeconds;
    this.lastReadMillis = startedMillis;
  }

  /** Starts the periodic check; returns its timer. */
  long watch() {
    return vertx.setPeriodic(PERIOD_MILLIS, id -> reload(System.currentTimeMillis()));
  }

  /**
   * Reads the file again, but no sooner than a second after the last read: a request arriving
   * sooner waits for that read rather than being refused. Completes once the tokens are set.
   */
  Future<Void> reloadSoon(long nowMillis) {
    if (reading != null) {
      return reading;
    }
    long wait = lastReadMillis + MIN_INTERVAL_MILLIS - nowMillis;
    if (wait <= 0) {
      return reload(nowMillis);
    }
    Promise<Void> later = Promise.promise();
    reading = later.future();
    vertx.setTimer(
        wait,
        id -> {
          reading = null;
          reload(System.currentTimeMillis()).onComplete(later);
        });
    return later.future();
  }

  private Future<Void> reload(long nowMillis) {
    if (reading != null) {
      return reading;
    }
    lastReadMillis = nowMillis;
    Promise<Void> done = Promise.promise();
    reading = done.future();
    vertx
        .fileSystem()
        .readFile(path)
        .onComplete(
            read -> {
              reading = null;
              if (read.succeeded()) {
                apply(read.result().toString(StandardCharsets.UTF_8).strip());
              } else {
                if (!unreadable) {
                  LOG.warn(
                      "event=admin-token-unreadable file={} reason=\"{}\" keeping=current",
                      path,
                      read.cause().getMessage());
                }
                unreadable = true;
              }
              done.complete();
            });
    return done.future();
  }

  private void apply(String token) {
    unreadable = false;
    if (token.isEmpty()) {
      LOG.warn("event=admin-token-unreadable file={} reason=\"empty\" keeping=current", path);
      return;
    }
    if (tokens.offer(token, System.currentTimeMillis())) {
      LOG.info("event=admin-token-rotated file={} previous_accepted_for={}s", path, graceSeconds);
    }
  }
}
