package io.wsfleet.operator.drain;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Drain calls in flight, at most {@code perFleet} per fleet and one per pod. A reconcile that finds
 * no free slot skips the call instead of waiting: the next reconcile asks again.
 */
public final class AdminCallSlots {

  private final int perFleet;
  private final Map<ResourceID, Set<String>> inFlight = new ConcurrentHashMap<>();

  public AdminCallSlots(int perFleet) {
    this.perFleet = perFleet;
  }

  /**
   * Starts the call for the pod with this uid when a slot is free, or returns empty: the pod has a
   * call in flight already, or the fleet has {@code perFleet} of them.
   */
  public <T> Optional<CompletableFuture<T>> tryStart(
      ResourceID fleet, String podUid, Supplier<CompletableFuture<T>> call) {
    Set<String> pods = inFlight.computeIfAbsent(fleet, f -> ConcurrentHashMap.newKeySet());
    synchronized (pods) {
      if (pods.size() >= perFleet || !pods.add(podUid)) {
        return Optional.empty();
      }
    }
    CompletableFuture<T> started;
    try {
      started = call.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return Optional.of(
        started.whenComplete(
            (value, error) -> {
              synchronized (pods) {
                pods.remove(podUid);
              }
            }));
  }

  /** Calls in flight for a fleet. */
  public int inFlight(ResourceID fleet) {
    Set<String> pods = inFlight.get(fleet);
    return pods == null ? 0 : pods.size();
  }
}
