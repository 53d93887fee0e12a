package io.wsfleet.operator.metrics;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import io.wsfleet.contract.Metrics;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.NodeAdminClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Scrapes every pod of a fleet in parallel, on the polling event source's own threads (never a
 * reconciler thread), and keeps count of failures in a row per pod of each fleet.
 */
public final class PodScraper
    implements PerResourcePollingEventSource.ResourceFetcher<PodSample, WebSocketFleet> {

  private static final String CONNECTIONS = Metrics.CONNECTIONS;

  private final NodeAdminClient admin;
  private final Function<WebSocketFleet, Set<Pod>> pods;
  private final Function<WebSocketFleet, Optional<String>> token;
  private final OperatorMetrics metrics;
  private final ScrapeFailures failures;

  public PodScraper(
      NodeAdminClient admin,
      Function<WebSocketFleet, Set<Pod>> pods,
      Function<WebSocketFleet, Optional<String>> token,
      OperatorMetrics metrics,
      ScrapeFailures failures) {
    this.admin = admin;
    this.pods = pods;
    this.token = token;
    this.metrics = metrics;
    this.failures = failures;
  }

  @Override
  public Set<PodSample> fetchResources(WebSocketFleet fleet) {
    Optional<String> bearer = token.apply(fleet);
    int adminPort = FleetSettings.adminPort(fleet);
    List<Pod> live =
        pods.apply(fleet).stream()
            .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
            .toList();
    List<CompletableFuture<PodSample>> scrapes =
        live.stream().map(pod -> scrape(fleet, pod, adminPort, bearer)).toList();
    Set<PodSample> samples = new HashSet<>();
    for (CompletableFuture<PodSample> scrape : scrapes) {
      samples.add(scrape.join());
    }
    Set<String> uids = new HashSet<>();
    live.forEach(pod -> uids.add(pod.getMetadata().getUid()));
    failures.retainPods(ResourceID.fromResource(fleet), uids);
    return samples;
  }

  @Override
  public Optional<Duration> fetchDelay(Set<PodSample> lastFetched, WebSocketFleet fleet) {
    return Optional.of(FleetSettings.scrapeInterval(fleet));
  }

  private CompletableFuture<PodSample> scrape(
      WebSocketFleet fleet, Pod pod, int adminPort, Optional<String> bearer) {
    String name = pod.getMetadata().getName();
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      // Not started yet: nothing to scrape, and not a failure either.
      return CompletableFuture.completedFuture(PodSample.failed(name, "no pod IP yet", 0));
    }
    if (bearer.isEmpty()) {
      return CompletableFuture.completedFuture(PodSample.failed(name, "no admin token yet", 0));
    }
    ResourceID id = ResourceID.fromResource(fleet);
    String key = pod.getMetadata().getUid();
    return admin
        .metrics(ip, adminPort, bearer.get())
        .thenApply(
            text -> {
              double value =
                  PrometheusText.value(text, CONNECTIONS)
                      .orElseThrow(() -> new IllegalStateException("no " + CONNECTIONS));
              failures.answered(id, key);
              return PodSample.ok(name, (long) value);
            })
        .exceptionally(
            e -> {
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              int inARow = failures.failed(id, key);
              metrics.scrapeFailed(fleet);
              String reason =
                  cause.getClass().getSimpleName()
                      + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
              return PodSample.failed(name, reason, inARow);
            });
  }
}
