package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deletes the fleet's admin-token Secret while pods serve, as a rotation would, and checks what
 * follows: the operator recreates it with a new token and keeps the old one, and no scrape or drain
 * of the pods that still hold the old token goes blind (no ScrapeFailing, drains complete).
 */
final class TokenRotation {

  static final String PREVIOUS_KEY = "previous-token";

  private final KubernetesClient client;
  private final String namespace;
  private final String secret;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Instant rotatedAt;
  private volatile double secondsToNewToken;
  private volatile boolean previousKept;
  private volatile String failure;

  TokenRotation(KubernetesClient client, String namespace, String fleet) {
    this.client = client;
    this.namespace = namespace;
    this.secret = fleet + "-admin-token";
  }

  /** Claims the rotation: true for the one caller that should run it. */
  boolean claim() {
    return started.compareAndSet(false, true);
  }

  boolean done() {
    return rotatedAt != null || failure != null;
  }

  /** Deletes the Secret and waits up to {@code limit} for it to come back with a new token. */
  void run(Duration limit) {
    try {
      String old = token().orElseThrow(() -> new IllegalStateException(secret + " is missing"));
      long start = System.nanoTime();
      client.secrets().inNamespace(namespace).withName(secret).delete();
      System.out.printf("local-fleet: deleted Secret %s while pods serve%n", secret);
      long deadline = start + limit.toNanos();
      while (token().filter(t -> !t.equals(old)).isEmpty()) {
        if (System.nanoTime() > deadline) {
          failure = secret + " did not come back with a new token within " + limit;
          return;
        }
        Thread.sleep(200);
      }
      secondsToNewToken = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
      previousKept = old.equals(data().map(d -> d.get(PREVIOUS_KEY)).orElse(null));
      System.out.printf(
          "local-fleet: %s has a new token %.1f s later (previous kept: %s)%n",
          secret, secondsToNewToken, previousKept);
      rotatedAt = Instant.now();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (RuntimeException e) {
      failure = "rotation failed: " + e;
    }
  }

  private Optional<String> token() {
    return data().map(d -> d.get("token"));
  }

  private Optional<Map<String, String>> data() {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(secret).get())
        .map(Secret::getData);
  }

  /**
   * Figures and failures, given the fleet's events: none of ScrapeFailing after the rotation, and
   * at least one drain completed after it.
   */
  Map<String, Object> judge(List<Event> events, List<String> failures) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (rotatedAt == null) {
      failures.add("token rotation: " + (failure != null ? failure : "never ran"));
      f.put("failure", failure);
      return f;
    }
    long scrapeFailing = after(events, "ScrapeFailing");
    long drained = after(events, "DrainCompleted");
    long timedOut = after(events, "DrainTimedOut");
    f.put("rotatedAt", rotatedAt.toString());
    f.put("secondsToNewToken", secondsToNewToken);
    f.put("previousTokenKept", previousKept);
    f.put("scrapeFailingAfter", scrapeFailing);
    f.put("drainsCompletedAfter", drained);
    f.put("drainsTimedOutAfter", timedOut);
    if (!previousKept) {
      failures.add("token rotation: the new Secret does not keep the old token in " + PREVIOUS_KEY);
    }
    if (scrapeFailing > 0) {
      failures.add("token rotation: " + scrapeFailing + " ScrapeFailing events followed it");
    }
    if (drained == 0 || timedOut > 0) {
      failures.add(
          "token rotation: "
              + drained
              + " drains completed and "
              + timedOut
              + " timed out after it; expected some completed, none timed out");
    }
    return f;
  }

  private long after(List<Event> events, String reason) {
    return events.stream()
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> at(e).isAfter(rotatedAt.minusSeconds(1)))
        .count();
  }

  private static Instant at(Event e) {
    String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getFirstTimestamp();
    return t == null ? Instant.EPOCH : Instant.parse(t);
  }
}
