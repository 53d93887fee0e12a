package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.api.WebSocketFleetStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the status patched once per reconcile. A condition keeps its lastTransitionTime while its
 * status stays the same, as `kubectl wait` and humans expect.
 */
final class FleetStatusBuilder {

  private final WebSocketFleet fleet;
  private final Instant now;
  private final WebSocketFleetStatus status = new WebSocketFleetStatus();
  private final List<Condition> previous;

  FleetStatusBuilder(WebSocketFleet fleet, Instant now) {
    this.fleet = fleet;
    this.now = now;
    this.previous =
        Optional.ofNullable(fleet.getStatus())
            .map(WebSocketFleetStatus::getConditions)
            .orElse(List.of());
    status.setConditions(new ArrayList<>());
    status.setSelector(FleetLabels.selector(fleet));
    status.setObservedGeneration(fleet.getMetadata().getGeneration());
    status.setLastScaleTime(
        Optional.ofNullable(fleet.getStatus())
            .map(WebSocketFleetStatus::getLastScaleTime)
            .orElse(null));
  }

  FleetStatusBuilder counts(int replicas, int ready, int draining, long connections, int desired) {
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    status.setDrainingReplicas(draining);
    status.setConnections(connections);
    status.setDesiredReplicas(desired);
    return this;
  }

  /** Keeps the counts and the other conditions of {@code previous}, for an error status. */
  FleetStatusBuilder keep(WebSocketFleetStatus previous) {
    counts(
        orZero(previous.getReplicas()),
        orZero(previous.getReadyReplicas()),
        orZero(previous.getDrainingReplicas()),
        previous.getConnections() == null ? 0 : previous.getConnections(),
        orZero(previous.getDesiredReplicas()));
    if (previous.getConditions() != null) {
      previous.getConditions().stream()
          .filter(c -> !"Degraded".equals(c.getType()))
          .forEach(status.getConditions()::add);
    }
    return this;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  FleetStatusBuilder scaledAt(Instant when) {
    status.setLastScaleTime(when.toString());
    return this;
  }

  FleetStatusBuilder condition(String type, boolean isTrue, String reason, String message) {
    String value = isTrue ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(now.toString());
    status
        .getConditions()
        .add(
            new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .withObservedGeneration(fleet.getMetadata().getGeneration())
                .build());
    return this;
  }

  WebSocketFleetStatus build() {
    return status;
  }
}
