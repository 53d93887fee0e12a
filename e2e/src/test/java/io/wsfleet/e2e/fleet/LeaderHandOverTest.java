package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderHandOverTest {

  private static Pod pod(String name, String state, String reason, boolean deleting) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of(PodWatch.STATE_LABEL, state))
        .withAnnotations(reason == null ? Map.of() : Map.of(LeaderHandOver.DRAIN_REASON, reason))
        .withDeletionTimestamp(deleting ? "2026-12-01T10:00:00Z" : null)
        .endMetadata()
        .build();
  }

  private static Event event(String reason, String message) {
    return new EventBuilder().withReason(reason).withMessage(message).build();
  }

  @Test
  void onlyAScaleDownDrainStillUnderWayTriggersTheHandOver() {
    assertThat(LeaderHandOver.scaleDownDrain(List.of(pod("a", "serving", null, false)))).isEmpty();
    assertThat(LeaderHandOver.scaleDownDrain(List.of(pod("b", "draining", "rollout", false))))
        .isEmpty();
    assertThat(LeaderHandOver.scaleDownDrain(List.of(pod("c", "draining", "scale-down", true))))
        .isEmpty();
    assertThat(
            LeaderHandOver.scaleDownDrain(
                    List.of(
                        pod("a", "serving", null, false),
                        pod("d", "draining", "scale-down", false)))
                .map(p -> p.getMetadata().getName()))
        .contains("d");
  }

  @Test
  void theHandOverChecksTheDrainOfItsOwnPod() {
    List<Pod> pods =
        List.of(
            pod("d", "draining", "scale-down", false), pod("e", "draining", "scale-down", true));
    assertThat(LeaderHandOver.drainsStill("d", pods)).isTrue();
    assertThat(LeaderHandOver.drainsStill("e", pods)).isFalse();
    assertThat(LeaderHandOver.drainsStill("f", pods)).isFalse();
  }

  @Test
  void drainTimesComeFromTheDrainCompletedEvents() {
    List<Event> events =
        List.of(
            event(
                "DrainCompleted",
                "Pod chat-x reached 0 connections 2.4 s after its drain started (scale-down);"
                    + " deleted it"),
            event("ScaledDown", "reached 0 connections 9.9 s after its drain started"),
            event(
                "DrainCompleted",
                "Pod chat-y reached 0 connections 17.0 s after its drain started (scale-down);"
                    + " deleted it"));
    assertThat(FleetVerdict.drainSeconds(events)).containsExactly(2.4, 17.0);
  }

  @Test
  void aHandOverThatNeverRanFails() {
    List<String> failures = new java.util.ArrayList<>();
    new LeaderHandOver(null).judge(List.of(), List.of(), failures);
    assertThat(failures).singleElement().asString().contains("never ran");
  }
}
