package io.wsfleet.operator.metrics;

import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.ResourceIDMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ExternalResourceCachingEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The pods' samples as an event source: each fleet is scraped on its own schedule by a {@link
 * ScrapeLoop}, and a round that changes what the pods report triggers a reconcile. Reading the
 * samples never scrapes: a reconcile sees the last completed round.
 */
public final class FleetScrapes
    extends ExternalResourceCachingEventSource<PodSample, WebSocketFleet, String>
    implements ResourceEventAware<WebSocketFleet> {

  private final ScrapeLoop loop;

  public FleetScrapes(EventSourceContext<WebSocketFleet> context, PodScraper scraper, Clock clock) {
    super("scrapes", PodSample.class, ResourceIDMapper.resourceIdProviderMapper());
    var primaries = context.getPrimaryCache();
    this.loop =
        new ScrapeLoop(
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "wsfleet-scrape-timer");
                  t.setDaemon(true);
                  return t;
                }),
            clock,
            id -> primaries.get(id).map(FleetSettings::scrapeInterval),
            id ->
                primaries
                    .get(id)
                    .map(scraper::round)
                    .orElseGet(() -> CompletableFuture.completedFuture(Set.of())),
            this::publish);
  }

  private void publish(ResourceID fleet, Set<PodSample> samples) {
    handleResources(fleet, samples, changed(getSecondaryResources(fleet), samples));
  }

  /** A new reading, not merely a newer one, is worth a reconcile. */
  static boolean changed(Set<PodSample> before, Set<PodSample> after) {
    if (before.size() != after.size()) {
      return true;
    }
    Map<String, PodSample> old = new HashMap<>();
    before.forEach(s -> old.put(s.pod(), s));
    return after.stream().anyMatch(s -> !s.sameReading(old.get(s.pod())));
  }

  @Override
  public Set<PodSample> getSecondaryResources(WebSocketFleet fleet) {
    loop.watch(ResourceID.fromResource(fleet));
    return super.getSecondaryResources(fleet);
  }

  @Override
  public void onResourceCreated(WebSocketFleet fleet) {
    loop.watch(ResourceID.fromResource(fleet));
  }

  @Override
  public void onResourceUpdated(WebSocketFleet fleet, WebSocketFleet old) {
    loop.watch(ResourceID.fromResource(fleet));
  }

  @Override
  public void onResourceDeleted(WebSocketFleet fleet) {
    ResourceID id = ResourceID.fromResource(fleet);
    loop.forget(id);
    handleDelete(id);
  }

  @Override
  public void stop() throws OperatorException {
    loop.close();
    super.stop();
  }
}
