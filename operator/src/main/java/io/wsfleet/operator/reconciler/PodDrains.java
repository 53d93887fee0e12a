package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.DrainPlanner;
import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.drain.NodeAdminClient;
import io.wsfleet.operator.metrics.OperatorMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out drains: marks pods draining, asks their servers to hand clients over, deletes them
 * when empty or out of time. What to do next is {@link DrainPlanner}'s call; the state lives on the
 * pod.
 */
final class PodDrains {

  private static final Logger LOG = LoggerFactory.getLogger(PodDrains.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private final NodeAdminClient admin;
  private final FleetEvents events;
  private final OperatorMetrics metrics;

  PodDrains(NodeAdminClient admin, FleetEvents events, OperatorMetrics metrics) {
    this.admin = admin;
    this.events = events;
    this.metrics = metrics;
  }

  /** Takes a serving pod out of the Service and starts its drain. */
  void start(
      PodWriter pods,
      WebSocketFleet fleet,
      Pod pod,
      String reason,
      Optional<String> token,
      OptionalLong connections,
      Instant now) {
    DrainState drain = DrainState.begin(now, FleetSettings.drainTimeoutSeconds(fleet), reason);
    Pod marked =
        pods.edit(
            pod,
            p -> {
              p.getMetadata().getLabels().put(FleetLabels.STATE, FleetLabels.DRAINING);
              annotations(p).putAll(drain.annotations());
              return p;
            });
    advance(pods, fleet, marked, token, connections, now);
  }

  /** The next step of a draining pod's drain. */
  void advance(
      PodWriter pods,
      WebSocketFleet fleet,
      Pod pod,
      Optional<String> token,
      OptionalLong connections,
      Instant now) {
    String name = pod.getMetadata().getName();
    DrainState drain = DrainState.from(pod.getMetadata().getAnnotations(), now);
    Optional<String> ip = FleetPods.ip(pod);
    if (ip.isEmpty()) {
      // Never started: nobody to hand over.
      pods.delete(pod);
      LOG.info(
          "event=drain-completed fleet={} pod={} reason=never-started",
          fleet.getMetadata().getName(),
          name);
      return;
    }
    switch (DrainPlanner.next(drain, connections, now)) {
      case REQUEST -> request(pods, fleet, pod, drain, ip.get(), token, connections, now);
      case WAIT -> {}
      case DELETE_DRAINED -> {
        pods.delete(pod);
        double seconds = Duration.between(drain.startedAt(), now).toMillis() / 1000.0;
        metrics.drain(fleet, "completed");
        events.normal(
            fleet,
            "DrainCompleted",
            String.format(
                "Pod %s reached 0 connections %.1f s after its drain started (%s); deleted it",
                name, seconds, drain.reason()));
        LOG.info(
            "event=drain-completed fleet={} pod={} seconds={} reason={}",
            fleet.getMetadata().getName(),
            name,
            seconds,
            drain.reason());
      }
      case DELETE_TIMED_OUT -> {
        pods.delete(pod);
        metrics.drain(fleet, "timed_out");
        String left = PlanExecutor.connectionsText(connections);
        events.warning(
            fleet,
            "DrainTimedOut",
            String.format(
                "Pod %s still had %s connections at its drain deadline %s; deleted it anyway."
                    + " Raise drain.reconnectRatePerSecond or drain.timeoutSeconds if this repeats",
                name, left, drain.deadline()));
        LOG.warn(
            "event=drain-timed-out fleet={} pod={} connections_left={}",
            fleet.getMetadata().getName(),
            name,
            left);
      }
    }
  }

  private void request(
      PodWriter pods,
      WebSocketFleet fleet,
      Pod pod,
      DrainState drain,
      String ip,
      Optional<String> token,
      OptionalLong connections,
      Instant now) {
    if (token.isEmpty()) {
      return;
    }
    String name = pod.getMetadata().getName();
    int rate = FleetSettings.drainRatePerSecond(fleet);
    long deadline = Math.max(1, Duration.between(now, drain.deadline()).toSeconds());
    int status = call(ip, fleet, token.get(), rate, deadline, null);
    if (status != 202 && status != 200) {
      LOG.warn(
          "event=drain-request-failed fleet={} pod={} status={}",
          fleet.getMetadata().getName(),
          name,
          status);
      return;
    }
    pods.edit(
        pod,
        p -> {
          annotations(p).put(DrainState.REQUESTED, "true");
          return p;
        });
    metrics.drain(fleet, "started");
    String held = PlanExecutor.connectionsText(connections);
    events.normal(
        fleet,
        "DrainStarted",
        String.format(
            "Pod %s (%s connections) is draining at %d clients/s, deadline %s (%s)",
            name, held, rate, drain.deadline(), drain.reason()));
    LOG.info(
        "event=drain-started fleet={} pod={} connections={} rate={}/s deadline={} reason={}",
        fleet.getMetadata().getName(),
        name,
        held,
        rate,
        drain.deadline(),
        drain.reason());
  }

  /** Asks a hot pod to move {@code count} clients elsewhere; true when the server accepted. */
  boolean rebalance(
      PodWriter pods, WebSocketFleet fleet, Pod pod, long count, String token, Instant now) {
    Optional<String> ip = FleetPods.ip(pod);
    if (ip.isEmpty()) {
      return false;
    }
    int rate = FleetSettings.drainRatePerSecond(fleet);
    long deadline = count / Math.max(1, rate) + 30;
    int status = call(ip.get(), fleet, token, rate, deadline, count);
    if (status != 202 && status != 200) {
      return false;
    }
    pods.edit(
        pod,
        p -> {
          annotations(p).put(FleetLabels.REBALANCED_AT, now.toString());
          return p;
        });
    return true;
  }

  /** HTTP status of a drain call, or -1 when the server could not be reached in time. */
  private int call(
      String ip, WebSocketFleet fleet, String token, int rate, long deadline, Long count) {
    try {
      return admin
          .drain(ip, FleetSettings.adminPort(fleet), token, rate, deadline, count)
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static Map<String, String> annotations(Pod pod) {
    if (pod.getMetadata().getAnnotations() == null) {
      pod.getMetadata().setAnnotations(new HashMap<>());
    }
    return pod.getMetadata().getAnnotations();
  }
}
