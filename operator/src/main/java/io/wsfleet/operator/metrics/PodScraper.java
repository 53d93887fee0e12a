package io.wsfleet.operator.metrics;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.wsfleet.contract.Metrics;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminEndpoint;
import io.wsfleet.operator.drain.AdminTokens;
import io.wsfleet.operator.drain.BoundedCalls;
import io.wsfleet.operator.drain.NodeAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One scrape round of a fleet: every live pod, at most {@value #IN_FLIGHT_PER_FLEET} requests at
 * once, each pod answering within the round's deadline (the scrape interval) or counted as failed.
 * Nothing here blocks a thread; failures in a row are kept per pod of each fleet.
 */
public final class PodScraper {

  /** Scrapes of one fleet in flight at once. */
  public static final int IN_FLIGHT_PER_FLEET = 16;

  private static final String CONNECTIONS = Metrics.CONNECTIONS;

  private final NodeAdminClient admin;
  private final Function<WebSocketFleet, Set<Pod>> pods;
  private final Function<WebSocketFleet, Optional<AdminTokens>> tokens;
  private final OperatorMetrics metrics;
  private final ScrapeFailures failures;
  private final Clock clock;

  public PodScraper(
      NodeAdminClient admin,
      Function<WebSocketFleet, Set<Pod>> pods,
      Function<WebSocketFleet, Optional<AdminTokens>> tokens,
      OperatorMetrics metrics,
      ScrapeFailures failures,
      Clock clock) {
    this.admin = admin;
    this.pods = pods;
    this.tokens = tokens;
    this.metrics = metrics;
    this.failures = failures;
    this.clock = clock;
  }

  /** Starts a round; it completes by the fleet's scrape interval whatever the pods do. */
  public CompletableFuture<Set<PodSample>> round(WebSocketFleet fleet) {
    Duration deadline = FleetSettings.scrapeInterval(fleet);
    Optional<AdminTokens> bearer = tokens.apply(fleet);
    int fallbackPort = FleetSettings.adminPort(fleet);
    List<Pod> live =
        pods.apply(fleet).stream()
            .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
            .toList();
    BoundedCalls calls = new BoundedCalls(IN_FLIGHT_PER_FLEET);
    List<CompletableFuture<PodSample>> scrapes =
        live.stream()
            .map(pod -> scrape(fleet, pod, fallbackPort, bearer, calls, deadline))
            .toList();
    Set<String> uids = new HashSet<>();
    live.forEach(pod -> uids.add(pod.getMetadata().getUid()));
    ResourceID id = ResourceID.fromResource(fleet);
    return CompletableFuture.allOf(scrapes.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              failures.retainPods(id, uids);
              Set<PodSample> samples = new HashSet<>();
              scrapes.forEach(s -> samples.add(s.join()));
              return samples;
            });
  }

  private CompletableFuture<PodSample> scrape(
      WebSocketFleet fleet,
      Pod pod,
      int fallbackPort,
      Optional<AdminTokens> bearer,
      BoundedCalls calls,
      Duration deadline) {
    String name = pod.getMetadata().getName();
    Optional<AdminEndpoint> endpoint = AdminEndpoint.of(pod, fallbackPort);
    if (endpoint.isEmpty()) {
      // Not started yet: nothing to scrape, and not a failure either.
      return CompletableFuture.completedFuture(
          PodSample.failed(name, "no pod IP yet", 0, clock.instant()));
    }
    if (bearer.isEmpty()) {
      return CompletableFuture.completedFuture(
          PodSample.failed(name, "no admin token yet", 0, clock.instant()));
    }
    ResourceID id = ResourceID.fromResource(fleet);
    String key = pod.getMetadata().getUid();
    return calls
        .submit(
            () -> {
              Instant sent = clock.instant();
              return admin
                  .metrics(endpoint.get(), bearer.get(), deadline)
                  .thenApply(text -> PodSample.ok(name, connections(text), sent));
            })
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (sample, error) -> {
              if (error == null) {
                failures.answered(id, key);
                return sample;
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              int inARow = failures.failed(id, key);
              metrics.scrapeFailed(fleet);
              String reason =
                  cause instanceof TimeoutException
                      ? "no answer within the round's deadline of " + deadline.toMillis() + " ms"
                      : cause.getClass().getSimpleName()
                          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
              return PodSample.failed(name, reason, inARow, clock.instant());
            });
  }

  private static long connections(String text) {
    return (long)
        PrometheusText.value(text, CONNECTIONS)
            .orElseThrow(() -> new IllegalStateException("no " + CONNECTIONS));
  }
}
