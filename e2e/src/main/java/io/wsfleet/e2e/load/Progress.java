package io.wsfleet.e2e.load;

import java.io.PrintStream;

/**
 * The live progress line: rewritten in place every second on a terminal, one plain line every 10 s
 * otherwise (CI logs stay short). Also feeds the snapshot's messages per second.
 */
final class Progress {

  private static final int PLAIN_EVERY_SECONDS = 10;

  private final LoadClient owner;
  private long timer = -1;
  private long lastReceived;
  private long lastNanos;
  private int ticks;

  Progress(LoadClient owner) {
    this.owner = owner;
  }

  void start() {
    lastNanos = System.nanoTime();
    timer = owner.vertx().setPeriodic(1000, t -> tick());
  }

  private void tick() {
    long now = System.nanoTime();
    long received = owner.counters().received.get();
    owner.receivedPerSecond(
        Math.round((received - lastReceived) * 1e9 / Math.max(1, now - lastNanos)));
    lastReceived = received;
    lastNanos = now;
    ticks++;
    PrintStream out = owner.options().progress();
    if (out == null) {
      return;
    }
    if (owner.options().progressTty()) {
      out.print("\r" + owner.snapshot().line() + "\u001b[K");
      out.flush();
    } else if (ticks % PLAIN_EVERY_SECONDS == 0) {
      out.println(owner.snapshot().line());
    }
  }

  void stop() {
    owner.vertx().cancelTimer(timer);
    PrintStream out = owner.options().progress();
    if (out != null && owner.options().progressTty()) {
      out.println();
    }
  }
}
