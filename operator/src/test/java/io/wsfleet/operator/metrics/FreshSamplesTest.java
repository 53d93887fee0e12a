package io.wsfleet.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FreshSamplesTest {

  private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  static Stream<Arguments> ages() {
    return Stream.of(
        Arguments.of("just taken", 0, OptionalLong.of(7)),
        Arguments.of("one interval old", 5, OptionalLong.of(7)),
        Arguments.of("exactly three intervals old", 15, OptionalLong.of(7)),
        Arguments.of("just past three intervals: missing", 16, OptionalLong.empty()),
        Arguments.of("a minute old: missing", 60, OptionalLong.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ages")
  void aSampleCountsOnlyWhileFresh(String name, int ageSeconds, OptionalLong expected) {
    PodSample sample = PodSample.ok("p", 7, NOW.minusSeconds(ageSeconds));
    PodSample seen = FreshSamples.fresh(sample, NOW, INTERVAL);
    assertThat(seen.connections()).isEqualTo(expected);
    assertThat(seen.takenAt()).isEqualTo(sample.takenAt());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ages")
  void aStaleZeroIsNotAnEmptyPod(String name, int ageSeconds, OptionalLong sevenOrNone) {
    Map<String, PodSample> byPod =
        FreshSamples.byPod(
            List.of(PodSample.ok("p", 0, NOW.minusSeconds(ageSeconds))), NOW, INTERVAL);
    assertThat(byPod.get("p").connections().isPresent()).isEqualTo(sevenOrNone.isPresent());
    if (sevenOrNone.isEmpty()) {
      assertThat(byPod.get("p").error()).startsWith("stale: last scrape " + ageSeconds + " s ago");
    }
  }
}
