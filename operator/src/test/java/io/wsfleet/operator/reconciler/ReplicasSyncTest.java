package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplicasSyncTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(
      String why, boolean autoscaling, int spec, Integer recorded, int desired, ReplicasSync want) {
    assertThat(ReplicasSync.decide(autoscaling, spec, recorded, desired)).isEqualTo(want);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "manual, no record: spec.replicas is the user's",
            false,
            5,
            null,
            5,
            ReplicasSync.NOTHING),
        Arguments.of(
            "manual with an old record: forget it, so a later turn-on is no override",
            false,
            5,
            3,
            5,
            new ReplicasSync(null, null, true)),
        Arguments.of(
            "just turned on: the old manual count is written over, not reported",
            true,
            1,
            null,
            3,
            new ReplicasSync(3, null, false)),
        Arguments.of(
            "just turned on at the same size: the record is still written",
            true,
            3,
            null,
            3,
            new ReplicasSync(3, null, false)),
        Arguments.of("in step: nothing to do", true, 3, 3, 3, ReplicasSync.NOTHING),
        Arguments.of(
            "the autoscaler grows: spec.replicas follows",
            true,
            3,
            3,
            4,
            new ReplicasSync(4, null, false)),
        Arguments.of(
            "kubectl scale while on: reported and written back",
            true,
            1,
            3,
            3,
            new ReplicasSync(3, 1, false)),
        Arguments.of(
            "kubectl scale while on, then the decision changes: reported, the new decision wins",
            true,
            7,
            3,
            4,
            new ReplicasSync(4, 7, false)),
        Arguments.of(
            "someone set exactly the decision: only the record moves",
            true,
            4,
            3,
            4,
            new ReplicasSync(4, null, false)));
  }
}
