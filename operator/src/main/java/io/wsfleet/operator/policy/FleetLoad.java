package io.wsfleet.operator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * One snapshot of a fleet's connections, summed the ways the policy needs them.
 *
 * <p>Connections still held by draining pods count as demand: those clients are about to reconnect
 * to the serving pods, so dropping them would shrink the fleet just before they land.
 */
record FleetLoad(
    List<PodLoad> serving,
    int servingWithMetrics,
    long servingConnections,
    long drainingConnections,
    int missingMetrics,
    int unavailable,
    int drainingPods) {

  FleetLoad {
    serving = List.copyOf(serving);
  }

  static FleetLoad of(List<PodLoad> pods) {
    List<PodLoad> serving = new ArrayList<>();
    int withMetrics = 0;
    long servingConnections = 0;
    long drainingConnections = 0;
    int unavailable = 0;
    int drainingPods = 0;
    for (PodLoad pod : pods) {
      long connections = pod.connections().orElse(0);
      if (pod.draining()) {
        drainingConnections += connections;
        drainingPods++;
        continue;
      }
      serving.add(pod);
      if (!pod.available()) {
        unavailable++;
      }
      if (pod.connections().isPresent()) {
        withMetrics++;
        servingConnections += connections;
      }
    }
    return new FleetLoad(
        serving,
        withMetrics,
        servingConnections,
        drainingConnections,
        serving.size() - withMetrics,
        unavailable,
        drainingPods);
  }

  int servingCount() {
    return serving.size();
  }

  /** Serving pods that can carry clients now or soon: what growth is measured against. */
  int usableCount() {
    return serving.size() - unavailable;
  }

  /** Demand for a scale-up: a pod we cannot see is assumed empty (HPA does the same). */
  long demandMissingAsEmpty() {
    return servingConnections + drainingConnections;
  }

  /** Demand for a scale-down: a pod we cannot see is assumed full, so it never shrinks us. */
  long demandMissingAsFull(int maxPerPod) {
    return demandMissingAsEmpty() + (long) missingMetrics * maxPerPod;
  }
}
