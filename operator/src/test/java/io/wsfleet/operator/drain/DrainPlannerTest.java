package io.wsfleet.operator.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.operator.drain.DrainPlanner.Step;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DrainPlannerTest {

  private static final Instant START = Instant.parse("2026-11-29T10:00:00Z");
  private static final Instant DEADLINE = START.plusSeconds(60);

  /** When the count was taken, relative to the drain's start: after, unless a row says before. */
  private static final Optional<Instant> AFTER = Optional.of(START.plusSeconds(1));

  private static final Optional<Instant> BEFORE = Optional.of(START.minusSeconds(1));

  static Stream<Arguments> steps() {
    OptionalLong unknown = OptionalLong.empty();
    return Stream.of(
        Arguments.of(
            "asked, empty, but counted before the drain began: wait for a newer scrape",
            true,
            OptionalLong.of(0),
            BEFORE,
            START.plusSeconds(5),
            Step.WAIT),
        Arguments.of(
            "asked, empty, counted at the very instant the drain began: wait",
            true,
            OptionalLong.of(0),
            Optional.of(START),
            START.plusSeconds(5),
            Step.WAIT),
        Arguments.of(
            "deadline, empty only before the drain began: timed out, not drained",
            true,
            OptionalLong.of(0),
            BEFORE,
            DEADLINE,
            Step.DELETE_TIMED_OUT),
        Arguments.of(
            "deadline, no sample time at all",
            true,
            OptionalLong.of(0),
            Optional.empty(),
            DEADLINE,
            Step.DELETE_TIMED_OUT),
        Arguments.of(
            "not yet asked, clients left", false, OptionalLong.of(12), AFTER, START, Step.REQUEST),
        Arguments.of(
            "not yet asked, scrape failed", false, unknown, Optional.empty(), START, Step.REQUEST),
        Arguments.of(
            "asked, clients left",
            true,
            OptionalLong.of(3),
            AFTER,
            START.plusSeconds(5),
            Step.WAIT),
        Arguments.of(
            "asked, scrape failed: wait, do not guess",
            true,
            unknown,
            Optional.empty(),
            START.plusSeconds(5),
            Step.WAIT),
        Arguments.of(
            "asked, empty",
            true,
            OptionalLong.of(0),
            AFTER,
            START.plusSeconds(5),
            Step.DELETE_DRAINED),
        Arguments.of(
            "deadline, clients left",
            true,
            OptionalLong.of(3),
            AFTER,
            DEADLINE,
            Step.DELETE_TIMED_OUT),
        Arguments.of(
            "deadline, scrape failed",
            true,
            unknown,
            Optional.empty(),
            DEADLINE.plusSeconds(1),
            Step.DELETE_TIMED_OUT),
        Arguments.of(
            "deadline, never asked",
            false,
            OptionalLong.of(3),
            AFTER,
            DEADLINE,
            Step.DELETE_TIMED_OUT),
        Arguments.of(
            "deadline, empty", false, OptionalLong.of(0), AFTER, DEADLINE, Step.DELETE_DRAINED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("steps")
  void nextStep(
      String name,
      boolean requested,
      OptionalLong connections,
      Optional<Instant> sampledAt,
      Instant now,
      Step expected) {
    DrainState state = new DrainState(START, DEADLINE, requested, "scale-down");
    assertThat(DrainPlanner.next(state, connections, sampledAt, now)).isEqualTo(expected);
  }

  @Test
  void theStateRoundTripsThroughThePodsAnnotations() {
    DrainState begun = DrainState.begin(START, 60, "rollout").asRequested();
    assertThat(DrainState.from(begun.annotations(), START.plusSeconds(99))).isEqualTo(begun);
  }

  @Test
  void unreadableAnnotationsGiveADrainThatIsAlreadyDue() {
    Instant now = START.plusSeconds(7);
    DrainState state = DrainState.from(Map.of(DrainState.DEADLINE, "soon"), now);
    assertThat(state.deadline()).isEqualTo(now);
    assertThat(DrainPlanner.next(state, OptionalLong.of(5), Optional.of(now), now))
        .isEqualTo(Step.DELETE_TIMED_OUT);
  }
}
