package io.wsfleet.node.session;

/** A per-connection publish rate limit: {@code rate} tokens a second, at most {@code burst}. */
final class TokenBucket {

  private double tokens;
  private long refilledAtNanos;

  TokenBucket(int burst, long nowNanos) {
    this.tokens = burst;
    this.refilledAtNanos = nowNanos;
  }

  boolean tryTake(int ratePerSecond, int burst, long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - refilledAtNanos) * ratePerSecond / 1e9);
    refilledAtNanos = nowNanos;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
