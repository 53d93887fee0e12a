package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DisruptionPlanTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void minAvailable(String why, int desired, int maxUnavailable, List<Pod> serving, int want) {
    assertThat(DisruptionPlan.minAvailable(desired, maxUnavailable, serving)).isEqualTo(want);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("three ready: one eviction at a time", 3, 1, pods(3, 0, 0, 0), 2),
        Arguments.of("maxUnavailable 2", 3, 2, pods(3, 0, 0, 0), 1),
        Arguments.of(
            "an evicted pod's replacement still starting: the next eviction waits",
            3,
            1,
            pods(2, 1, 0, 0),
            2),
        Arguments.of(
            "the evicted pod gone, its replacement not yet made: the next eviction waits",
            3,
            1,
            pods(2, 0, 0, 0),
            2),
        Arguments.of(
            "one pod no node has room for does not hold drains up", 4, 1, pods(3, 0, 1, 0), 2),
        Arguments.of(
            "Pending but placed (pulling its image) counts: the drain waits for it",
            4,
            1,
            pods(3, 0, 0, 1),
            3),
        Arguments.of("a single pod may always be evicted", 1, 1, pods(1, 0, 0, 0), 0),
        Arguments.of("never below zero", 2, 1, pods(0, 0, 3, 0), 0),
        Arguments.of(
            "surge pods of a rollout are extra room, not a higher floor",
            2,
            1,
            pods(3, 0, 0, 0),
            1));
  }

  /** Ready pods, started-not-ready pods, unschedulable pods, placed-but-Pending pods. */
  private static List<Pod> pods(int ready, int starting, int unschedulable, int placedPending) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < ready; i++) {
      pods.add(pod("Running", "PodScheduled", "True", null));
    }
    for (int i = 0; i < starting; i++) {
      pods.add(pod("Running", "Ready", "False", null));
    }
    for (int i = 0; i < unschedulable; i++) {
      pods.add(pod("Pending", "PodScheduled", "False", "Unschedulable"));
    }
    for (int i = 0; i < placedPending; i++) {
      pods.add(pod("Pending", "PodScheduled", "True", null));
    }
    return pods;
  }

  private static Pod pod(String phase, String type, String status, String reason) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .addNewCondition()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .endCondition()
        .endStatus()
        .build();
  }
}
