package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminCallSlots;
import io.wsfleet.operator.drain.AdminEndpoint;
import io.wsfleet.operator.drain.AdminTokens;
import io.wsfleet.operator.drain.DrainPlanner;
import io.wsfleet.operator.drain.DrainState;
import io.wsfleet.operator.drain.NodeAdminClient;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.metrics.PodSample;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out drains: marks pods draining, asks their servers to hand clients over, deletes them
 * when empty or out of time. What to do next is {@link DrainPlanner}'s call; the state lives on the
 * pod. Admin calls never block the reconcile: it starts them (at most {@value #CALLS_PER_FLEET} per
 * fleet, one per pod) and their answers are recorded on the pod when they come.
 */
final class PodDrains {

  /** Drain and rebalance calls of one fleet in flight at once. */
  static final int CALLS_PER_FLEET = 4;

  private static final Logger LOG = LoggerFactory.getLogger(PodDrains.class);

  private final NodeAdminClient admin;
  private final FleetEvents events;
  private final OperatorMetrics metrics;
  private final Function<WebSocketFleet, Optional<AdminTokens>> tokens;
  private final Executor results;
  private final AdminCallSlots slots = new AdminCallSlots(CALLS_PER_FLEET);
  // Pods (uids) whose drain the server accepted: a reconcile that read the pod before its
  // drain-requested annotation was written must not ask again.
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();

  /**
   * @param tokens the fleet's admin tokens, once its Secret exists
   * @param results where answers are recorded (pod writes, events), off the HTTP client's threads
   */
  PodDrains(
      NodeAdminClient admin,
      FleetEvents events,
      OperatorMetrics metrics,
      Function<WebSocketFleet, Optional<AdminTokens>> tokens,
      Executor results) {
    this.admin = admin;
    this.events = events;
    this.metrics = metrics;
    this.tokens = tokens;
    this.results = results;
  }

  /** Takes a serving pod out of the Service and starts its drain. */
  void start(
      PodWriter pods,
      WebSocketFleet fleet,
      Pod pod,
      String reason,
      Optional<PodSample> sample,
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
    advance(pods, fleet, marked, sample, now);
  }

  /** The next step of a draining pod's drain. */
  void advance(
      PodWriter pods, WebSocketFleet fleet, Pod pod, Optional<PodSample> sample, Instant now) {
    String name = pod.getMetadata().getName();
    DrainState drain = DrainState.from(pod.getMetadata().getAnnotations(), now);
    Optional<AdminEndpoint> endpoint = AdminEndpoint.of(pod, FleetSettings.adminPort(fleet));
    if (endpoint.isEmpty()) {
      // Never started: nobody to hand over.
      pods.delete(pod);
      LOG.info(
          "event=drain-completed fleet={} pod={} reason=never-started",
          fleet.getMetadata().getName(),
          name);
      return;
    }
    OptionalLong connections = sample.map(PodSample::connections).orElse(OptionalLong.empty());
    switch (DrainPlanner.next(drain, connections, sample.map(PodSample::takenAt), now)) {
      case REQUEST -> request(pods, fleet, pod, drain, endpoint.get(), connections, now);
      case WAIT -> {}
      case DELETE_DRAINED -> {
        pods.delete(pod);
        accepted.remove(pod.getMetadata().getUid());
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
        accepted.remove(pod.getMetadata().getUid());
        metrics.drain(fleet, "timed_out");
        String left = PodSample.connectionsText(connections);
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
      AdminEndpoint endpoint,
      OptionalLong connections,
      Instant now) {
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    if (accepted.contains(uid)) {
      return;
    }
    int rate = FleetSettings.drainRatePerSecond(fleet);
    long deadline = Math.max(1, Duration.between(now, drain.deadline()).toSeconds());
    call(
        fleet,
        pod,
        endpoint,
        rate,
        deadline,
        null,
        ok -> {
          if (!ok) {
            return;
          }
          accepted.add(uid);
          pods.edit(
              pod,
              p -> {
                annotations(p).put(DrainState.REQUESTED, "true");
                return p;
              });
          metrics.drain(fleet, "started");
          String held = PodSample.connectionsText(connections);
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
        });
  }

  /**
   * Asks a hot pod to move {@code count} clients elsewhere. True when the request went out; the
   * pod's {@code rebalanced-at} annotation is written once the server accepts it.
   */
  boolean rebalance(PodWriter pods, WebSocketFleet fleet, Pod pod, long count, Instant now) {
    Optional<AdminEndpoint> endpoint = AdminEndpoint.of(pod, FleetSettings.adminPort(fleet));
    if (endpoint.isEmpty()) {
      return false;
    }
    int rate = FleetSettings.drainRatePerSecond(fleet);
    long deadline = count / Math.max(1, rate) + 30;
    return call(
        fleet,
        pod,
        endpoint.get(),
        rate,
        deadline,
        count,
        ok -> {
          if (ok) {
            pods.edit(
                pod,
                p -> {
                  annotations(p).put(FleetLabels.REBALANCED_AT, now.toString());
                  return p;
                });
          }
        });
  }

  /**
   * Starts a drain call when the fleet has a token and a free slot; {@code answered} gets whether
   * the server accepted, on the results executor. False when no call went out.
   */
  private boolean call(
      WebSocketFleet fleet,
      Pod pod,
      AdminEndpoint endpoint,
      int rate,
      long deadline,
      Long count,
      Consumer<Boolean> answered) {
    Optional<AdminTokens> bearer = tokens.apply(fleet);
    if (bearer.isEmpty()) {
      return false;
    }
    String name = pod.getMetadata().getName();
    // The slot is held until the answer is recorded on the pod, so no reconcile in between sees
    // the drain as unrequested and asks again.
    Optional<CompletableFuture<Void>> sent =
        slots.tryStart(
            ResourceID.fromResource(fleet),
            pod.getMetadata().getUid(),
            () ->
                admin
                    .drain(endpoint, bearer.get(), rate, deadline, count)
                    .handleAsync(
                        (status, error) -> {
                          record(fleet, name, status, error, answered);
                          return null;
                        },
                        results));
    return sent.isPresent();
  }

  private static void record(
      WebSocketFleet fleet,
      String pod,
      Integer status,
      Throwable error,
      Consumer<Boolean> answered) {
    boolean accepted = error == null && status != null && (status == 202 || status == 200);
    if (!accepted) {
      LOG.warn(
          "event=drain-request-failed fleet={} pod={} status={} error=\"{}\"",
          fleet.getMetadata().getName(),
          pod,
          status,
          error == null ? "" : error.toString());
    }
    try {
      answered.accept(accepted);
    } catch (KubernetesClientException e) {
      // The pod went away while its call was in flight; nothing left to record.
      LOG.info(
          "event=drain-answer-unrecorded fleet={} pod={} reason=\"{}\"",
          fleet.getMetadata().getName(),
          pod,
          e.getMessage());
    }
  }

  private static Map<String, String> annotations(Pod pod) {
    if (pod.getMetadata().getAnnotations() == null) {
      pod.getMetadata().setAnnotations(new HashMap<>());
    }
    return pod.getMetadata().getAnnotations();
  }
}
