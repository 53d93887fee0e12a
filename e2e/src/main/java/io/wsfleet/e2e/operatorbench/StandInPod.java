package io.wsfleet.e2e.operatorbench;

import java.util.Arrays;

/**
 * One pod as the node stand-in plays it: its address, admin token and cap, the drain it was asked
 * for, and when each of its scrapes arrived.
 */
final class StandInPod {

  final String name;
  final String ip;
  final String token;
  final int maxConnections;
  final long registeredNanos;

  private long drainStartNanos = -1;
  private long drainFrom;
  private int drainRate;
  private int partialDrains;
  private long[] scrapes = new long[16];
  private int scrapeCount;

  StandInPod(String name, String ip, String token, int maxConnections, long registeredNanos) {
    this.name = name;
    this.ip = ip;
    this.token = token;
    this.maxConnections = maxConnections;
    this.registeredNanos = registeredNanos;
  }

  synchronized boolean draining() {
    return drainStartNanos >= 0;
  }

  /** Connections a draining pod still holds at {@code now}: falling at the rate it was asked. */
  synchronized long drainRemaining(long now) {
    double elapsed = (now - drainStartNanos) / 1e9;
    return Math.max(0, drainFrom - (long) Math.floor(elapsed * drainRate));
  }

  /** A full drain from {@code connections} at {@code ratePerSecond}; a repeated ask is a no-op. */
  synchronized void startDrain(long now, long connections, int ratePerSecond) {
    if (drainStartNanos < 0) {
      drainStartNanos = now;
      drainFrom = connections;
      drainRate = Math.max(1, ratePerSecond);
    }
  }

  synchronized void partialDrainAsked() {
    partialDrains++;
  }

  synchronized int partialDrains() {
    return partialDrains;
  }

  synchronized void scraped(long now) {
    if (scrapeCount == scrapes.length) {
      scrapes = Arrays.copyOf(scrapes, scrapes.length * 2);
    }
    scrapes[scrapeCount++] = now;
  }

  /** Arrival times (System.nanoTime) of this pod's scrapes, oldest first. */
  synchronized long[] scrapeTimes() {
    return Arrays.copyOf(scrapes, scrapeCount);
  }
}
