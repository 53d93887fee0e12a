package io.wsfleet.operator.metrics;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed scrapes in a row, per pod, kept apart per fleet: each fleet's scrape round forgets only
 * its own departed pods, so one fleet's round never resets another fleet's count.
 */
public final class ScrapeFailures {

  private final Map<ResourceID, Map<String, Integer>> byFleet = new ConcurrentHashMap<>();

  /** Counts one more failure of the pod with this uid; returns the failures in a row. */
  public int failed(ResourceID fleet, String podUid) {
    return pods(fleet).merge(podUid, 1, Integer::sum);
  }

  /** The pod answered: its count starts again. */
  public void answered(ResourceID fleet, String podUid) {
    pods(fleet).remove(podUid);
  }

  /** Forgets the fleet's pods that are gone; other fleets' counts are untouched. */
  public void retainPods(ResourceID fleet, Set<String> liveUids) {
    pods(fleet).keySet().retainAll(liveUids);
  }

  /** Forgets fleets that no longer exist. */
  public void retainFleets(Collection<ResourceID> liveFleets) {
    byFleet.keySet().retainAll(liveFleets);
  }

  /** Failures in a row of one pod, 0 when it answered last. */
  public int inARow(ResourceID fleet, String podUid) {
    Map<String, Integer> pods = byFleet.get(fleet);
    return pods == null ? 0 : pods.getOrDefault(podUid, 0);
  }

  private Map<String, Integer> pods(ResourceID fleet) {
    return byFleet.computeIfAbsent(fleet, f -> new ConcurrentHashMap<>());
  }
}
