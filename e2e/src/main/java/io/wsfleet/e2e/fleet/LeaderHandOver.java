package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Deletes the leader operator pod in the middle of a scale-down drain and follows what happens: the
 * other replica must take the Lease and complete that drain, once.
 */
final class LeaderHandOver {

  static final String OPERATOR_NAMESPACE = "wsfleet-system";
  static final String LEASE = "wsfleet-operator";
  static final String DRAIN_REASON = "wsfleet.io/drain-reason";
  static final String SCALE_DOWN = "scale-down";

  /** What happened: who led before and after, which drain was under way, how long it took. */
  record Outcome(
      String oldLeader, String newLeader, String drainingPod, double secondsToNewLeader) {}

  private final KubernetesClient client;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Outcome outcome;
  private volatile String failure;

  LeaderHandOver(KubernetesClient client) {
    this.client = client;
  }

  /** The pod under a scale-down drain, if one is; the first such pod triggers the hand-over. */
  static Optional<Pod> scaleDownDrain(List<Pod> pods) {
    return pods.stream()
        .filter(
            p -> PodWatch.DRAINING.equals(p.getMetadata().getLabels().get(PodWatch.STATE_LABEL)))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> SCALE_DOWN.equals(p.getMetadata().getAnnotations().get(DRAIN_REASON)))
        .findFirst();
  }

  /** Whether {@code pod} is still under its scale-down drain. */
  static boolean drainsStill(String pod, List<Pod> pods) {
    return scaleDownDrain(pods.stream().filter(p -> pod.equals(p.getMetadata().getName())).toList())
        .isPresent();
  }

  /** Claims the hand-over: true for the one caller that should run it. */
  boolean claim() {
    return started.compareAndSet(false, true);
  }

  /** Whether it has run (or failed trying). */
  boolean done() {
    return outcome != null || failure != null;
  }

  /**
   * Deletes the Lease holder's pod while {@code drainingPod} drains, then waits for another holder.
   */
  void run(String drainingPod, Duration limit, Supplier<Boolean> stillDraining) {
    try {
      String old = holder().orElseThrow(() -> new IllegalStateException("the Lease has no holder"));
      long start = System.nanoTime();
      client.pods().inNamespace(OPERATOR_NAMESPACE).withName(old).delete();
      boolean drainingWhenDeleted = stillDraining.get();
      System.out.printf(
          "local-fleet: deleted the leader operator pod %s while %s drains%n", old, drainingPod);
      long deadline = start + limit.toNanos();
      Optional<String> next = holder();
      while (next.isEmpty() || next.get().equals(old)) {
        if (System.nanoTime() > deadline) {
          failure = "no other operator replica took the Lease within " + limit;
          return;
        }
        Thread.sleep(200);
        next = holder();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "local-fleet: %s took the Lease %.1f s after %s was deleted%n", next.get(), seconds, old);
      if (!drainingWhenDeleted) {
        failure = drainingPod + " had finished draining before the leader pod was deleted";
      }
      outcome = new Outcome(old, next.get(), drainingPod, Math.round(seconds * 10) / 10.0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (RuntimeException e) {
      failure = "hand-over failed: " + e;
    }
  }

  private Optional<String> holder() {
    Lease lease = client.leases().inNamespace(OPERATOR_NAMESPACE).withName(LEASE).get();
    return Optional.ofNullable(lease)
        .map(Lease::getSpec)
        .map(s -> s.getHolderIdentity())
        .filter(h -> !h.isEmpty());
  }

  /**
   * Figures and failures, given the fleet's events and the pods that left: the drained pod must
   * have one DrainCompleted, from the new leader, and have left once.
   */
  Map<String, Object> judge(
      List<Event> events, List<PodWatch.Departure> departures, List<String> failures) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (failure != null || outcome == null) {
      failures.add(
          "leader hand-over: "
              + (failure != null ? failure : "never ran (no scale-down drain was seen)"));
      f.put("failure", failure);
    }
    if (outcome == null) {
      return f;
    }
    String pod = outcome.drainingPod();
    List<Event> completed =
        events.stream()
            .filter(e -> "DrainCompleted".equals(e.getReason()))
            .filter(e -> e.getMessage().startsWith("Pod " + pod + " "))
            .toList();
    List<String> by = completed.stream().map(Event::getReportingInstance).toList();
    long left = departures.stream().filter(d -> d.pod().equals(pod)).count();
    f.put("oldLeader", outcome.oldLeader());
    f.put("newLeader", outcome.newLeader());
    f.put("secondsToNewLeader", outcome.secondsToNewLeader());
    f.put("drainingPod", pod);
    f.put("drainCompletedEvents", completed.size());
    f.put("drainCompletedBy", by);
    f.put("podDeparted", left);
    if (completed.size() != 1 || !outcome.newLeader().equals(by.get(0))) {
      failures.add(
          "leader hand-over: "
              + pod
              + " should have one DrainCompleted from "
              + outcome.newLeader()
              + ", got "
              + by);
    }
    if (left != 1) {
      failures.add("leader hand-over: " + pod + " left " + left + " times, expected once");
    }
    return f;
  }
}
