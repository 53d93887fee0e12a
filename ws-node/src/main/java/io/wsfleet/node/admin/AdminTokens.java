package io.wsfleet.node.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * The bearer tokens the admin API accepts now: the current one and, for a grace period after a
 * rotation, the previous one, so that an operator that has not read the new Secret yet is not shut
 * out. Pure: the time is passed in.
 */
final class AdminTokens {

  private final long graceMillis;
  private byte[] current;
  private byte[] previous;
  private long previousUntilMillis;

  AdminTokens(Optional<String> initial, Duration grace) {
    this.current = initial.map(AdminTokens::bytes).orElse(null);
    this.graceMillis = grace.toMillis();
  }

  private static byte[] bytes(String token) {
    return token.getBytes(StandardCharsets.UTF_8);
  }

  boolean configured() {
    return current != null;
  }

  /** Constant-time comparison with each accepted token. */
  boolean accepts(String presented, long nowMillis) {
    if (presented == null || current == null) {
      return false;
    }
    byte[] candidate = bytes(presented);
    boolean ok = MessageDigest.isEqual(current, candidate);
    if (previous != null && nowMillis < previousUntilMillis) {
      ok |= MessageDigest.isEqual(previous, candidate);
    }
    return ok;
  }

  /**
   * The token as the file now says; returns whether it is a rotation. The one it replaces stays
   * accepted for the grace period.
   */
  boolean offer(String token, long nowMillis) {
    byte[] next = bytes(token);
    if (current != null && MessageDigest.isEqual(current, next)) {
      return false;
    }
    previous = current;
    previousUntilMillis = nowMillis + graceMillis;
    current = next;
    return true;
  }
}
