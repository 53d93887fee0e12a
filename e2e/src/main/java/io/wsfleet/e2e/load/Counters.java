package io.wsfleet.e2e.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's running totals. Written on the load client's event loop only; atomics so that {@link
 * LoadClient#snapshot()} may read them from any thread.
 */
final class Counters {

  final AtomicLong connected = new AtomicLong();
  final AtomicLong peakConnected = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicLong closedByDrain = new AtomicLong();
  final AtomicLong reconnectedAfterDrain = new AtomicLong();
  final AtomicLong drainedThenStopped = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong publishRefused = new AtomicLong();
  final AtomicLong publishUnsent = new AtomicLong();
  final AtomicLong received = new AtomicLong();
  final AtomicLong replayed = new AtomicLong();
  final AtomicLong lost = new AtomicLong();
  final AtomicLong duplicated = new AtomicLong();
  final AtomicLong outOfOrder = new AtomicLong();
  final AtomicLong truncatedNotices = new AtomicLong();
  final AtomicLong truncatedMessages = new AtomicLong();
  final AtomicLong serverErrors = new AtomicLong();
  final AtomicLong subscribesRefused = new AtomicLong();
  private final Map<String, AtomicLong> handshakeFailures = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> closes = new ConcurrentHashMap<>();

  void opened() {
    long now = connected.incrementAndGet();
    peakConnected.accumulateAndGet(now, Math::max);
  }

  void handshakeFailed(String reason) {
    handshakeFailures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
  }

  void closed(int code) {
    closes.computeIfAbsent(Integer.toString(code), c -> new AtomicLong()).incrementAndGet();
  }

  long handshakeFailureTotal() {
    return handshakeFailures.values().stream().mapToLong(AtomicLong::get).sum();
  }

  Map<String, Long> handshakeFailures() {
    return copy(handshakeFailures);
  }

  Map<String, Long> closes() {
    return copy(closes);
  }

  private static Map<String, Long> copy(Map<String, AtomicLong> counts) {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((key, value) -> sorted.put(key, value.get()));
    return sorted;
  }
}
