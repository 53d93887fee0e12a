package io.wsfleet.e2e.operatorbench;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the operator's heap from its own /metrics every two seconds (as a Prometheus would) and
 * keeps the highest used and committed figures since the last {@link #reset}.
 */
final class HeapSampler implements AutoCloseable {

  /** The highest heap figures seen, in bytes. */
  record Peak(double usedBytes, double committedBytes) {}

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private double used;
  private double committed;

  HeapSampler(OperatorProcess operator) {
    timer.scheduleWithFixedDelay(() -> sample(operator), 0, 2, TimeUnit.SECONDS);
  }

  private void sample(OperatorProcess operator) {
    try {
      PromSamples metrics = operator.metrics();
      double u = metrics.sum("jvm_memory_used_bytes", s -> "heap".equals(s.label("area")));
      double c = metrics.sum("jvm_memory_committed_bytes", s -> "heap".equals(s.label("area")));
      synchronized (this) {
        used = Math.max(used, u);
        committed = Math.max(committed, c);
      }
    } catch (IOException | RuntimeException e) {
      // A missed sample (the operator busy or stopping) leaves the peak as it was.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The peak since the last reset, and starts a new one. */
  synchronized Peak reset() {
    Peak peak = new Peak(used, committed);
    used = 0;
    committed = 0;
    return peak;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
