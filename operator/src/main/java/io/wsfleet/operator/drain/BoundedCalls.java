package io.wsfleet.operator.drain;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Asynchronous calls with at most {@code limit} in flight: the rest wait their turn, so one fleet's
 * round never opens hundreds of connections at once. Nobody blocks on it.
 */
public final class BoundedCalls {

  private final int limit;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  public BoundedCalls(int limit) {
    this.limit = Math.max(1, limit);
  }

  /** Starts the call now or when a slot frees; the result completes as the call does. */
  public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletableFuture<T> started;
          try {
            started = call.get();
          } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
          }
          started.whenComplete(
              (value, error) -> {
                release();
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(value);
                }
              });
        };
    boolean now;
    synchronized (this) {
      now = running < limit;
      if (now) {
        running++;
      } else {
        waiting.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return result;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }
}
