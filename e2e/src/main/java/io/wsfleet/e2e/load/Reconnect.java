package io.wsfleet.e2e.load;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to reconnect: after 1012 the server's {@code reconnectAfterMs} hint plus jitter (the server
 * already spreads its hints); after anything else a capped, jittered exponential backoff so a fleet
 * of clients does not hammer a refusing server in lock step.
 */
final class Reconnect {

  static final int SERVICE_RESTART = 1012;

  private final LoadOptions options;
  private int failures;

  Reconnect(LoadOptions options) {
    this.options = options;
  }

  /** Delay after the socket closed with {@code code} and {@code reason}. */
  long afterClose(int code, String reason) {
    if (code == SERVICE_RESTART) {
      failures = 0;
      return hint(reason) + ThreadLocalRandom.current().nextLong(options.drainJitterMillis() + 1);
    }
    return afterFailure();
  }

  /** Delay after a failed connect or a refused handshake. */
  long afterFailure() {
    failures = Math.min(failures + 1, 30);
    long ceiling =
        Math.min(options.backoffMaxMillis(), options.backoffMinMillis() << (failures - 1));
    // "Equal jitter": at least half the step, so retries still back off.
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  void succeeded() {
    failures = 0;
  }

  static long hint(String reason) {
    try {
      Long hint = new JsonObject(reason).getLong("reconnectAfterMs");
      return hint == null ? 0 : Math.max(0, hint);
    } catch (RuntimeException e) {
      return 0; // no or malformed hint: reconnect at once (plus jitter)
    }
  }
}
