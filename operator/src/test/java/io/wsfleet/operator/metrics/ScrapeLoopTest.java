package io.wsfleet.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The loop that runs scrape rounds. Its rounds are stand-ins (functions that throw, fail or never
 * complete) because a real pod cannot be made to throw inside the operator's own code.
 */
class ScrapeLoopTest {

  private static final ResourceID FLEET = new ResourceID("f", "ns");
  private static final ResourceID OTHER = new ResourceID("g", "ns");

  @Test
  void aRoundThatThrowsOrFailsDoesNotStopTheRoundsAfterIt() {
    AtomicInteger rounds = new AtomicInteger();
    List<Set<PodSample>> published = new CopyOnWriteArrayList<>();
    try (ScrapeLoop loop =
        new ScrapeLoop(
            Executors.newSingleThreadScheduledExecutor(),
            Clock.systemUTC(),
            id -> Optional.of(Duration.ofMillis(20)),
            id -> {
              int n = rounds.incrementAndGet();
              if (n == 1) {
                throw new IllegalStateException("the first round throws");
              }
              if (n == 2) {
                return CompletableFuture.failedFuture(new IllegalStateException("then fails"));
              }
              return CompletableFuture.completedFuture(Set.of(PodSample.ok("p", n, Instant.now())));
            },
            (id, samples) -> published.add(samples))) {
      loop.watch(FLEET);
      await("rounds after the throwing one publish")
          .atMost(Duration.ofSeconds(10))
          .until(() -> published.size() >= 3);
    }
  }

  @Test
  void aFleetWhoseRoundNeverEndsDoesNotHoldUpAnotherFleet() {
    List<ResourceID> published = new CopyOnWriteArrayList<>();
    try (ScrapeLoop loop =
        new ScrapeLoop(
            Executors.newSingleThreadScheduledExecutor(),
            Clock.systemUTC(),
            id -> Optional.of(Duration.ofMillis(20)),
            id ->
                id.equals(FLEET)
                    ? new CompletableFuture<>()
                    : CompletableFuture.completedFuture(Set.of()),
            (id, samples) -> published.add(id))) {
      loop.watch(FLEET);
      loop.watch(OTHER);
      await("the other fleet's rounds go on")
          .atMost(Duration.ofSeconds(10))
          .until(() -> published.stream().filter(OTHER::equals).count() >= 5);
      assertThat(published).doesNotContain(FLEET);
    }
  }

  @Test
  void aForgottenFleetIsNoLongerScraped() {
    AtomicInteger rounds = new AtomicInteger();
    try (ScrapeLoop loop =
        new ScrapeLoop(
            Executors.newSingleThreadScheduledExecutor(),
            Clock.systemUTC(),
            id -> rounds.get() < 3 ? Optional.of(Duration.ofMillis(10)) : Optional.empty(),
            id -> {
              rounds.incrementAndGet();
              return CompletableFuture.completedFuture(Set.of());
            },
            (id, samples) -> {})) {
      loop.watch(FLEET);
      await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() == 3);
      await("no round once the fleet is gone")
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> rounds.get() == 3);
    }
  }

  @Test
  void aFleetForgottenAndWatchedAgainRunsOneChainOfRounds() {
    List<CompletableFuture<Set<PodSample>>> rounds = new CopyOnWriteArrayList<>();
    try (ScrapeLoop loop =
        new ScrapeLoop(
            Executors.newSingleThreadScheduledExecutor(),
            Clock.systemUTC(),
            id -> Optional.of(Duration.ofMillis(20)),
            id -> {
              CompletableFuture<Set<PodSample>> round = new CompletableFuture<>();
              rounds.add(round);
              return round;
            },
            (id, samples) -> {})) {
      loop.watch(FLEET);
      await().atMost(Duration.ofSeconds(10)).until(() -> rounds.size() == 1);
      loop.forget(FLEET);
      loop.watch(FLEET);
      await().atMost(Duration.ofSeconds(10)).until(() -> rounds.size() == 2);
      // The first chain's round ends: it must not go on beside the second chain.
      rounds.get(0).complete(Set.of());
      await("no round beside the second chain's unfinished one")
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> rounds.size() == 2);
      rounds.get(1).complete(Set.of());
      await("the second chain goes on")
          .atMost(Duration.ofSeconds(10))
          .until(() -> rounds.size() == 3);
    }
  }
}
