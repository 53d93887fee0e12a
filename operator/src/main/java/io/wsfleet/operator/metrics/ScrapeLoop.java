package io.wsfleet.operator.metrics;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each fleet's scrape rounds on its own schedule. The timer thread only starts rounds, which
 * are asynchronous: a slow round delays its own fleet's next one only, and a round that fails or
 * throws is logged and followed by the next one, never the end of the fleet's scrapes.
 */
public final class ScrapeLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Function<ResourceID, Optional<Duration>> interval;
  private final Function<ResourceID, CompletableFuture<Set<PodSample>>> round;
  private final BiConsumer<ResourceID, Set<PodSample>> publish;
  // One token per watch: a fleet forgotten and watched again runs one chain of rounds, not two.
  private final Map<ResourceID, Object> watched = new ConcurrentHashMap<>();

  /**
   * @param interval a fleet's scrape interval, empty once the fleet is gone (its rounds stop)
   * @param round starts one round of a fleet
   * @param publish receives a round's samples
   */
  public ScrapeLoop(
      ScheduledExecutorService timer,
      Clock clock,
      Function<ResourceID, Optional<Duration>> interval,
      Function<ResourceID, CompletableFuture<Set<PodSample>>> round,
      BiConsumer<ResourceID, Set<PodSample>> publish) {
    this.timer = timer;
    this.clock = clock;
    this.interval = interval;
    this.round = round;
    this.publish = publish;
  }

  /** Starts the fleet's rounds unless they run already. */
  public void watch(ResourceID fleet) {
    Object chain = new Object();
    if (watched.putIfAbsent(fleet, chain) == null) {
      schedule(fleet, chain, Duration.ZERO);
    }
  }

  /** Stops the fleet's rounds after the one in flight, if any. */
  public void forget(ResourceID fleet) {
    watched.remove(fleet);
  }

  private void schedule(ResourceID fleet, Object chain, Duration delay) {
    if (timer.isShutdown()) {
      return;
    }
    timer.schedule(() -> run(fleet, chain), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run(ResourceID fleet, Object chain) {
    if (watched.get(fleet) != chain) {
      return;
    }
    Optional<Duration> every = interval.apply(fleet);
    if (every.isEmpty()) {
      watched.remove(fleet, chain);
      return;
    }
    Instant started = clock.instant();
    CompletableFuture<Set<PodSample>> samples;
    try {
      samples = round.apply(fleet);
    } catch (RuntimeException e) {
      samples = CompletableFuture.failedFuture(e);
    }
    samples.whenComplete(
        (result, error) -> {
          if (error != null) {
            LOG.info(
                "event=scrape-round-failed fleet={}/{} error=\"{}\"",
                fleet.getNamespace().orElse(""),
                fleet.getName(),
                error.toString());
          } else {
            try {
              publish.accept(fleet, result);
            } catch (RuntimeException e) {
              LOG.info(
                  "event=scrape-publish-failed fleet={}/{} error=\"{}\"",
                  fleet.getNamespace().orElse(""),
                  fleet.getName(),
                  e.toString());
            }
          }
          Duration spent = Duration.between(started, clock.instant());
          Duration next = every.get().minus(spent);
          schedule(fleet, chain, next.isNegative() ? Duration.ZERO : next);
        });
  }

  @Override
  public void close() {
    watched.clear();
    timer.shutdownNow();
  }
}
