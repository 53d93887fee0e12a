package io.wsfleet.operator.policy;

import static io.wsfleet.operator.policy.ScalingDecision.Reason.AT_MAX;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.AT_MIN;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.MANUAL;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.PANIC;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.SCALE_DOWN;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.SCALE_UP;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.STEADY;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.STEP_LIMIT;
import static io.wsfleet.operator.policy.ScalingDecision.Reason.WAITING_FOR_WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.operator.api.AutoscalingSpec;
import io.wsfleet.operator.api.CapacitySpec;
import io.wsfleet.operator.api.DrainSpec;
import io.wsfleet.operator.api.DrainSpec.PodSelection;
import io.wsfleet.operator.api.PanicSpec;
import io.wsfleet.operator.api.RebalanceSpec;
import io.wsfleet.operator.api.ScaleDownRules;
import io.wsfleet.operator.api.ScaleUpRules;
import io.wsfleet.operator.api.WebSocketFleetSpec;
import io.wsfleet.operator.policy.ScalingDecision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScalingPolicyTest {

  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    ScalingDecision d = ScalingPolicy.decide(c.settings, c.pods, c.memory, NOW);

    assertThat(d.desiredServing()).as("desiredServing; %s", d.message()).isEqualTo(c.desired);
    assertThat(d.reason()).as("reason; %s", d.message()).isEqualTo(c.reason);
    c.check.accept(d);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // Steps are limited per period, not per decision (issue 10, defect 8).
        when("down period: a drain 10 s ago spends the period's step")
            .settings(f -> f.getAutoscaling().getScaleDown().setPeriodSeconds(60))
            .pods(pod("a", 100), pod("b", 100), pod("c", 100))
            .memory(steps(step(10, -1)))
            .expect(3, STEP_LIMIT)
            .and(d -> assertThat(d.podsToDrain()).isEmpty())
            .and(d -> assertThat(d.message()).contains("down 1 per 60s")),
        when("down period: a drain older than the period no longer counts")
            .settings(f -> f.getAutoscaling().getScaleDown().setPeriodSeconds(60))
            .pods(pod("a", 100), pod("b", 100), pod("c", 100))
            .memory(steps(step(61, -1)))
            .expect(2, SCALE_DOWN),
        when("up period: four pods added 5 s ago spend the period's step")
            .pods(pods(4, 9000))
            .settings(f -> f.getAutoscaling().getPanic().setCapThresholdPercent(100))
            .memory(steps(step(5, 4)))
            .expect(4, STEP_LIMIT),
        when("concurrent drains: two draining pods leave no room for a third")
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(5))
            .settings(f -> f.getDrain().setMaxConcurrent(2))
            .pods(pod("a", 0), pod("b", 0), pod("c", 0), draining("x", 50), draining("y", 50))
            .expect(3, STEP_LIMIT)
            .and(d -> assertThat(d.podsToDrain()).isEmpty()),
        when("concurrent drains: one draining pod leaves room for one more of five")
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(5))
            .settings(f -> f.getDrain().setMaxConcurrent(2))
            .pods(pod("a", 0), pod("b", 0), pod("c", 0), pod("d", 0), draining("x", 50))
            .expect(3, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).hasSize(1)),
        when("manual: the excess drains at most drain.maxConcurrent at a time")
            .settings(manual(1))
            .settings(f -> f.getDrain().setMaxConcurrent(2))
            .pods(pods(5, 10))
            .expect(1, MANUAL)
            .and(d -> assertThat(d.podsToDrain()).hasSize(2)),
        // Growth counts pods that can take clients (issue 10, defect 9).
        when("growth: a crash-looping pod is no capacity, the fleet grows by the shortfall")
            .pods(pod("a", 9000), pod("b", 0).unavailable())
            .settings(f -> f.getAutoscaling().getPanic().setCapThresholdPercent(100))
            .expect(3, SCALE_UP)
            .and(d -> assertThat(d.message()).contains("need 3 pods")),
        when("growth: the same load on two available pods keeps two")
            .pods(pod("a", 4500), pod("b", 4500))
            .expect(2, STEADY),
        // Old-template pods leave first (issue 10, defect 14).
        when("scale-down during a rollout drains an old-template pod first")
            .pods(pod("new", 0, 10), pod("old", 3000).asOutdated(), pod("other", 10))
            .expect(2, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("old")),
        // tolerance: 10,900 / 10,000 is 9% over target, inside 10%
        when("tolerance: 9% over target keeps the fleet")
            .pods(pod("a", 5400), pod("b", 5500))
            .expect(2, STEADY)
            .and(d -> assertThat(d.podsToDrain()).isEmpty()),
        when("tolerance: 20% over target scales up, message carries the numbers")
            .pods(pod("a", 6000), pod("b", 6000))
            .expect(3, SCALE_UP)
            .and(
                d ->
                    assertThat(d.message())
                        .isEqualTo(
                            "12,000 connections on 2 serving pods (target 5,000/pod) need 3"
                                + " pods; adding 1")),
        when("tolerance: 9% under target keeps the fleet")
            .pods(pod("a", 4550), pod("b", 4550))
            .expect(2, STEADY),
        when("tolerance: 60% under target scales down")
            .pods(pod("a", 2000), pod("b", 2000), pod("c", 2000))
            .expect(2, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).hasSize(1)),
        when("tolerance 0: 1% over target scales up")
            .settings(f -> f.getAutoscaling().setTolerancePercent(0))
            .pods(pod("a", 5050), pod("b", 5050))
            .expect(3, SCALE_UP),
        when("clamp: need above maxReplicas at max stays AT_MAX")
            .pods(ten(7000))
            .expect(10, AT_MAX)
            .and(d -> assertThat(d.message()).contains("need 14 pods; capped at maxReplicas 10")),
        when("clamp: scale-up stops at maxReplicas")
            .settings(f -> f.getAutoscaling().setMaxReplicas(9))
            .pods(pods(7, 8000))
            .expect(9, AT_MAX)
            .and(d -> assertThat(d.message()).contains("adding 2")),
        when("clamp: need below minReplicas keeps minReplicas")
            .settings(f -> f.getAutoscaling().setMinReplicas(3))
            .pods(pod("a", 100), pod("b", 100), pod("c", 100))
            .expect(3, AT_MIN)
            .and(d -> assertThat(d.podsToDrain()).isEmpty()),
        when("clamp: never below minReplicas even with a large step")
            .settings(
                f -> {
                  f.getAutoscaling().setMinReplicas(2);
                  f.getAutoscaling().getScaleDown().setMaxPodsPerStep(5);
                })
            .pods(pod("a", 0), pod("b", 0), pod("c", 0))
            .expect(2, AT_MIN)
            .and(d -> assertThat(d.podsToDrain()).hasSize(1)),
        when("clamp: pods above a lowered maxReplicas drain at the step")
            .settings(f -> f.getAutoscaling().setMaxReplicas(10))
            .pods(pods(12, 5000))
            .expect(11, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).hasSize(1))
            .and(d -> assertThat(d.message()).contains("above maxReplicas 10; draining 1")),
        when("up window: lowest recommendation in the window wins")
            .settings(f -> f.getAutoscaling().getScaleUp().setStabilizationWindowSeconds(60))
            .pods(pod("a", 10000 - 1), pod("b", 10000 - 1))
            .settings(f -> f.getAutoscaling().getPanic().setCapThresholdPercent(100))
            .memory(rec(30, 3))
            .expect(3, SCALE_UP),
        when("up window: holds the fleet while a low recommendation is inside it")
            .settings(f -> f.getAutoscaling().getScaleUp().setStabilizationWindowSeconds(60))
            .pods(pod("a", 8000), pod("b", 8000))
            .memory(rec(30, 2))
            .expect(2, WAITING_FOR_WINDOW),
        when("up window: recommendations older than the window are ignored")
            .settings(f -> f.getAutoscaling().getScaleUp().setStabilizationWindowSeconds(60))
            .pods(pod("a", 8000), pod("b", 8000))
            .memory(rec(60, 2), rec(90, 2))
            .expect(4, SCALE_UP),
        when("down window: highest recommendation in the window wins")
            .settings(f -> f.getAutoscaling().getScaleDown().setStabilizationWindowSeconds(300))
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(3))
            .pods(pods(4, 1000))
            .memory(rec(100, 2), rec(200, 3), rec(400, 4))
            .expect(3, SCALE_DOWN),
        when("down window: not before the window passes")
            .settings(f -> f.getAutoscaling().getScaleDown().setStabilizationWindowSeconds(300))
            .pods(pods(4, 1000))
            .memory(rec(299, 4), rec(10, 1))
            .expect(4, WAITING_FOR_WINDOW)
            .and(d -> assertThat(d.podsToDrain()).isEmpty()),
        when("down window: scales down once the window has passed")
            .settings(f -> f.getAutoscaling().getScaleDown().setStabilizationWindowSeconds(300))
            .pods(pods(4, 1000))
            .memory(rec(300, 4), rec(10, 1))
            .expect(3, SCALE_DOWN),
        when("down window: empty memory seeds the current count, so no shrink at once")
            .settings(f -> f.getAutoscaling().getScaleDown().setStabilizationWindowSeconds(300))
            .pods(pods(4, 1000))
            .expect(4, WAITING_FOR_WINDOW)
            .and(
                d ->
                    assertThat(d.memory().recommendations())
                        .containsExactly(new Recommendation(NOW, 4), new Recommendation(NOW, 1))),
        when("step up: at most upMaxPodsPerStep added")
            .settings(f -> f.getAutoscaling().getScaleUp().setMaxPodsPerStep(1))
            .pods(pod("a", 8000), pod("b", 8000))
            .expect(3, SCALE_UP)
            .and(
                d ->
                    assertThat(d.message()).endsWith("need 4 pods; adding 1 (at most 1 per step)")),
        when("step down: at most downMaxPodsPerStep drained")
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(2))
            .pods(pods(6, 500))
            .expect(4, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).hasSize(2)),
        when("panic: a pod at 90% of its cap enters panic and sheds its excess")
            .pods(pod("a", 9000), pod("b", 1000), pod("c", 1000))
            .expect(3, STEADY)
            .and(d -> assertThat(d.panicking()).isTrue())
            .and(d -> assertThat(d.memory().panicUntil()).isEqualTo(NOW.plusSeconds(60)))
            .and(d -> assertThat(d.rebalance()).containsExactly(new PartialDrain("a", 5333)))
            .and(d -> assertThat(d.message()).contains("pod a holds 9,000 of its 10,000 cap")),
        when("panic: cap trigger grows to the full need, beyond the step limit")
            .settings(f -> f.getAutoscaling().getScaleUp().setMaxPodsPerStep(1))
            .pods(pod("a", 9500), pod("b", 8000))
            .expect(4, PANIC)
            .and(d -> assertThat(d.message()).startsWith("panic until 2025-01-01T12:01:00Z")),
        when("panic: average trigger ignores the scale-up window")
            .settings(f -> f.getAutoscaling().getPanic().setTargetThresholdPercent(150))
            .settings(f -> f.getAutoscaling().getScaleUp().setStabilizationWindowSeconds(120))
            .pods(pod("a", 7600), pod("b", 7600))
            .memory(rec(10, 2))
            .expect(4, PANIC)
            .and(d -> assertThat(d.panicking()).isTrue()),
        when("panic: just below both triggers is no panic")
            .settings(f -> f.getAutoscaling().getPanic().setTargetThresholdPercent(150))
            .pods(pod("a", 7499), pod("b", 7499))
            .expect(3, SCALE_UP)
            .and(d -> assertThat(d.panicking()).isFalse())
            .and(d -> assertThat(d.memory().panicUntil()).isNull()),
        when("panic hold: no scale-down while panicUntil is ahead")
            .pods(pods(4, 1000))
            .memory(new ScalingMemory(List.of(), NOW.plusSeconds(30)))
            .expect(4, PANIC)
            .and(d -> assertThat(d.panicking()).isTrue())
            .and(d -> assertThat(d.podsToDrain()).isEmpty())
            .and(d -> assertThat(d.memory().panicUntil()).isEqualTo(NOW.plusSeconds(30))),
        when("panic exit: the window is over, scale-down resumes")
            .pods(pods(4, 1000))
            .memory(new ScalingMemory(List.of(), NOW))
            .expect(3, SCALE_DOWN)
            .and(d -> assertThat(d.panicking()).isFalse())
            .and(d -> assertThat(d.memory().panicUntil()).isNull()),
        when("missing metrics: count as empty for scale-up")
            .pods(pod("a", 8500), pod("b", 8500), missing("c", 1))
            .expect(4, SCALE_UP)
            .and(d -> assertThat(d.message()).contains("1 pod without metrics")),
        when("missing metrics: count as full, so they block a scale-down")
            .pods(pod("a", 1000), pod("b", 1000), missing("c", 1), missing("d", 2))
            .expect(4, STEADY)
            .and(d -> assertThat(d.podsToDrain()).isEmpty()),
        when("missing metrics: scale down when even full says so, and drain them last")
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(5))
            .pods(pod("a", 0, 50), pod("b", 0, 40), pod("c", 0, 30), missing("m", 1))
            .expect(2, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("c", "b")),
        when("draining pods: not serving, but their clients are demand")
            .pods(pod("a", 6000), pod("b", 6000), draining("x", 3000))
            .expect(3, SCALE_UP)
            .and(d -> assertThat(d.currentServing()).isEqualTo(2)),
        when("draining pods: never chosen to drain again")
            .pods(pod("a", 100, 5), pod("b", 100, 6), draining("x", 0))
            .expect(1, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("a"))
            .and(d -> assertThat(d.currentServing()).isEqualTo(2)),
        when("pod choice FewestConnections: fewest first")
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(2))
            .pods(pod("a", 300), pod("b", 100), pod("c", 200), pod("d", 400))
            .expect(2, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("b", "c")),
        when("pod choice FewestConnections: ties go newest first, then by name")
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(3))
            .pods(pod("old", 100, 50), pod("z", 100, 5), pod("y", 100, 5), pod("q", 900, 1))
            .expect(1, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("y", "z", "old")),
        when("pod choice Oldest: oldest first whatever the load")
            .settings(f -> f.getDrain().setPodSelection(PodSelection.Oldest))
            .pods(pod("a", 10, 10), pod("b", 900, 30), pod("c", 0, 20))
            .expect(2, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("b")),
        when("pod choice Newest: newest first, ties by name")
            .settings(f -> f.getDrain().setPodSelection(PodSelection.Newest))
            .settings(f -> f.getAutoscaling().getScaleDown().setMaxPodsPerStep(2))
            .pods(pod("a", 0, 30), pod("d", 900, 10), pod("c", 500, 10))
            .expect(1, SCALE_DOWN)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("c", "d")),
        when("rebalance: after a scale-up the average counts the new pods")
            .pods(pod("a", 8000), pod("b", 4000))
            .expect(3, SCALE_UP)
            .and(d -> assertThat(d.rebalance()).containsExactly(new PartialDrain("a", 4000))),
        when("rebalance: exactly at the threshold sheds nothing")
            .pods(pod("a", 6000), pod("b", 3000), pod("c", 3000))
            .expect(3, STEADY)
            .and(d -> assertThat(d.rebalance()).isEmpty()),
        when("rebalance: above the threshold sheds down to the average")
            .pods(pod("a", 6100), pod("b", 2950), pod("c", 2950))
            .expect(3, STEADY)
            .and(d -> assertThat(d.rebalance()).containsExactly(new PartialDrain("a", 2100))),
        when("rebalance: a lower threshold catches more pods, sorted by name")
            .settings(f -> f.getAutoscaling().getRebalance().setThresholdPercent(110))
            .pods(pod("c", 5000), pod("a", 5000), pod("b", 3000), pod("d", 4000))
            .expect(4, STEADY)
            .and(
                d ->
                    assertThat(d.rebalance())
                        .containsExactly(new PartialDrain("a", 750), new PartialDrain("c", 750))),
        when("rebalance: disabled")
            .settings(f -> f.getAutoscaling().getRebalance().setEnabled(false))
            .pods(pod("a", 8000), pod("b", 4000))
            .expect(3, SCALE_UP)
            .and(d -> assertThat(d.rebalance()).isEmpty()),
        when("rebalance: never during a scale-down")
            .pods(pod("a", 3000), pod("b", 200), pod("c", 200), pod("d", 200))
            .expect(3, SCALE_DOWN)
            .and(d -> assertThat(d.rebalance()).isEmpty()),
        when("rebalance: one pod growing to two sheds half")
            .pods(pod("a", 9000))
            .expect(2, PANIC)
            .and(d -> assertThat(d.rebalance()).containsExactly(new PartialDrain("a", 4500))),
        when("rebalance: one measured pod and no scale-up has no average to compare with")
            .pods(pod("a", 8000), missing("b", 1))
            .expect(2, STEADY)
            .and(d -> assertThat(d.rebalance()).isEmpty()),
        when("manual: scales up to spec.replicas")
            .settings(manual(4))
            .pods(pod("a", 9500), pod("b", 1000))
            .expect(4, MANUAL)
            .and(d -> assertThat(d.panicking()).isFalse())
            .and(d -> assertThat(d.rebalance()).isEmpty()),
        when("manual: drains all excess at once when drain.maxConcurrent allows, beyond the step")
            .settings(manual(1))
            .pods(pod("a", 400), pod("b", 100), pod("c", 300), pod("d", 200))
            .expect(1, MANUAL)
            .and(d -> assertThat(d.podsToDrain()).containsExactly("b", "d", "c")),
        when("manual: steady ignores load and forgets the autoscaling memory")
            .settings(manual(2))
            .pods(pod("a", 9800), pod("b", 1000))
            .memory(new ScalingMemory(List.of(new Recommendation(NOW, 5)), NOW.plusSeconds(9)))
            .expect(2, MANUAL)
            .and(d -> assertThat(d.panicking()).isFalse())
            .and(d -> assertThat(d.rebalance()).isEmpty())
            .and(d -> assertThat(d.memory()).isEqualTo(ScalingMemory.empty()))
            .and(d -> assertThat(d.message()).endsWith("keeping 2")),
        when("zero pods: a new fleet starts at minReplicas")
            .settings(f -> f.getAutoscaling().setMinReplicas(2))
            .expect(2, AT_MIN)
            .and(d -> assertThat(d.currentServing()).isZero()),
        when("zero serving pods: the full need at once, no window, no step")
            .settings(f -> f.getAutoscaling().getScaleUp().setStabilizationWindowSeconds(60))
            .pods(draining("x", 10000), draining("y", 10000), draining("z", 10000))
            .memory(rec(10, 0))
            .expect(6, SCALE_UP),
        when("memory: recommendations older than the longest window are trimmed")
            .settings(f -> f.getAutoscaling().getScaleDown().setStabilizationWindowSeconds(300))
            .pods(pods(3, 5000))
            .memory(rec(400, 5), rec(300, 4), rec(100, 3))
            .expect(3, STEADY)
            .and(
                d ->
                    assertThat(d.memory().recommendations())
                        .containsExactly(
                            new Recommendation(NOW.minusSeconds(100), 3),
                            new Recommendation(NOW, 3))));
  }

  @Test
  void settingsFromEmptySpecUseSchemaDefaults() {
    ScalingSettings s = ScalingSettings.from(new WebSocketFleetSpec());

    assertThat(s)
        .isEqualTo(
            new ScalingSettings(
                false,
                1,
                1,
                10,
                7000,
                10000,
                10,
                Duration.ZERO,
                4,
                Duration.ofSeconds(15),
                Duration.ofSeconds(300),
                1,
                Duration.ofSeconds(60),
                2,
                90,
                200,
                Duration.ofSeconds(60),
                true,
                150,
                PodSelection.FewestConnections));
  }

  @Test
  void settingsFromEmptyNestedObjectsUseSchemaDefaults() {
    WebSocketFleetSpec spec = new WebSocketFleetSpec();
    spec.setAutoscaling(new AutoscalingSpec());
    spec.setCapacity(new CapacitySpec());
    spec.setDrain(new DrainSpec());

    assertThat(ScalingSettings.from(spec)).isEqualTo(ScalingSettings.from(null));
  }

  @Test
  void settingsFromFilledSpec() {
    WebSocketFleetSpec spec = fullSpec();
    spec.setReplicas(3);
    spec.getCapacity().setMaxConnectionsPerPod(9000);
    AutoscalingSpec auto = spec.getAutoscaling();
    auto.setMinReplicas(2);
    auto.setMaxReplicas(20);
    auto.setTargetConnectionsPerPod(4000);
    auto.setTolerancePercent(5);
    auto.setScrapeIntervalSeconds(7);
    auto.getScaleUp().setStabilizationWindowSeconds(15);
    auto.getScaleUp().setMaxPodsPerStep(3);
    auto.getScaleDown().setStabilizationWindowSeconds(120);
    auto.getScaleDown().setMaxPodsPerStep(2);
    auto.getScaleUp().setPeriodSeconds(30);
    auto.getScaleDown().setPeriodSeconds(90);
    spec.getDrain().setMaxConcurrent(3);
    auto.getPanic().setCapThresholdPercent(80);
    auto.getPanic().setTargetThresholdPercent(300);
    auto.getPanic().setWindowSeconds(45);
    auto.getRebalance().setEnabled(false);
    auto.getRebalance().setThresholdPercent(175);
    spec.getDrain().setPodSelection(PodSelection.Newest);

    assertThat(ScalingSettings.from(spec))
        .isEqualTo(
            new ScalingSettings(
                true,
                3,
                2,
                20,
                4000,
                9000,
                5,
                Duration.ofSeconds(15),
                3,
                Duration.ofSeconds(30),
                Duration.ofSeconds(120),
                2,
                Duration.ofSeconds(90),
                3,
                80,
                300,
                Duration.ofSeconds(45),
                false,
                175,
                PodSelection.Newest));
  }

  @Test
  void sameInputsGiveTheSameDecisionWhateverThePodOrder() {
    ScalingSettings s =
        settings(
            f -> {
              f.getAutoscaling().getScaleDown().setMaxPodsPerStep(3);
              f.getDrain().setMaxConcurrent(3);
            });
    List<PodLoad> pods =
        new ArrayList<>(
            List.of(
                pod("a", 100, 5),
                pod("b", 100, 5),
                pod("c", 100, 5),
                pod("d", 7000, 5),
                missing("e", 5)));
    ScalingDecision first = ScalingPolicy.decide(s, pods, ScalingMemory.empty(), NOW);
    Collections.reverse(pods);
    ScalingDecision second = ScalingPolicy.decide(s, pods, ScalingMemory.empty(), NOW);

    assertThat(second).isEqualTo(first);
    assertThat(first.podsToDrain()).containsExactly("a");
  }

  @Test
  void decisionMemoryFeedsTheNextDecision() {
    ScalingSettings s =
        settings(f -> f.getAutoscaling().getScaleDown().setStabilizationWindowSeconds(60));
    List<PodLoad> pods = pods(3, 1000);

    ScalingDecision first = ScalingPolicy.decide(s, pods, ScalingMemory.empty(), NOW);
    ScalingDecision during =
        ScalingPolicy.decide(s, pods, first.memory(), NOW.plus(Duration.ofSeconds(59)));
    ScalingDecision after =
        ScalingPolicy.decide(s, pods, during.memory(), NOW.plus(Duration.ofSeconds(60)));

    assertThat(first.reason()).isEqualTo(WAITING_FOR_WINDOW);
    assertThat(during.desiredServing()).isEqualTo(3);
    assertThat(after.desiredServing()).isEqualTo(2);
    assertThat(after.reason()).isEqualTo(SCALE_DOWN);
  }

  // --- table helpers --------------------------------------------------------------------------

  /** One row of the table: inputs, the expected count and reason, and any further checks. */
  static final class Case {
    final String name;
    final WebSocketFleetSpec spec = fullSpec();
    ScalingSettings settings;
    List<PodLoad> pods = List.of();
    ScalingMemory memory = ScalingMemory.empty();
    int desired;
    Reason reason;
    Consumer<ScalingDecision> check = d -> {};

    Case(String name) {
      this.name = name;
      this.settings = ScalingSettings.from(spec);
    }

    Case settings(Consumer<WebSocketFleetSpec> change) {
      change.accept(spec);
      settings = ScalingSettings.from(spec);
      return this;
    }

    Case pods(PodLoad... loads) {
      pods = List.of(loads);
      return this;
    }

    Case pods(List<PodLoad> loads) {
      pods = List.copyOf(loads);
      return this;
    }

    Case memory(Recommendation... recommendations) {
      memory = new ScalingMemory(Arrays.asList(recommendations), null);
      return this;
    }

    Case memory(ScalingMemory m) {
      memory = m;
      return this;
    }

    Case expect(int desiredServing, Reason expectedReason) {
      desired = desiredServing;
      reason = expectedReason;
      return this;
    }

    Case and(Consumer<ScalingDecision> more) {
      check = check.andThen(more);
      return this;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Case when(String name) {
    return new Case(name);
  }

  /**
   * Autoscaling on, target 5,000 of a 10,000 cap, 1..10 pods, tolerance 10%, no windows (so a
   * single decision shows the step and clamp rules), steps 4 up and 1 down, panic 90%/200%/60s,
   * rebalance at 150%, FewestConnections, up to 10 drains at once.
   */
  static WebSocketFleetSpec fullSpec() {
    WebSocketFleetSpec spec = new WebSocketFleetSpec();
    CapacitySpec capacity = new CapacitySpec();
    capacity.setMaxConnectionsPerPod(10000);
    spec.setCapacity(capacity);
    AutoscalingSpec auto = new AutoscalingSpec();
    auto.setEnabled(true);
    auto.setMinReplicas(1);
    auto.setMaxReplicas(10);
    auto.setTargetConnectionsPerPod(5000);
    auto.setTolerancePercent(10);
    ScaleUpRules up = new ScaleUpRules();
    up.setStabilizationWindowSeconds(0);
    up.setMaxPodsPerStep(4);
    auto.setScaleUp(up);
    ScaleDownRules down = new ScaleDownRules();
    down.setStabilizationWindowSeconds(0);
    down.setMaxPodsPerStep(1);
    auto.setScaleDown(down);
    PanicSpec panic = new PanicSpec();
    panic.setCapThresholdPercent(90);
    panic.setTargetThresholdPercent(200);
    panic.setWindowSeconds(60);
    auto.setPanic(panic);
    RebalanceSpec rebalance = new RebalanceSpec();
    rebalance.setEnabled(true);
    rebalance.setThresholdPercent(150);
    auto.setRebalance(rebalance);
    spec.setAutoscaling(auto);
    DrainSpec drain = new DrainSpec();
    drain.setPodSelection(PodSelection.FewestConnections);
    // Room for every drain a single decision asks for; the concurrency cases lower it.
    drain.setMaxConcurrent(10);
    spec.setDrain(drain);
    return spec;
  }

  static ScalingSettings settings(Consumer<WebSocketFleetSpec> change) {
    WebSocketFleetSpec spec = fullSpec();
    change.accept(spec);
    return ScalingSettings.from(spec);
  }

  static Consumer<WebSocketFleetSpec> manual(int replicas) {
    return f -> {
      f.getAutoscaling().setEnabled(false);
      f.setReplicas(replicas);
    };
  }

  /** A serving pod created {@code ageSeconds} before now. */
  static PodLoad pod(String name, long connections, long ageSeconds) {
    return PodLoad.of(name, connections, false, NOW.minusSeconds(ageSeconds));
  }

  static PodLoad pod(String name, long connections) {
    return pod(name, connections, 3600);
  }

  static PodLoad missing(String name, long ageSeconds) {
    return PodLoad.withoutMetrics(name, false, NOW.minusSeconds(ageSeconds));
  }

  static PodLoad draining(String name, long connections) {
    return PodLoad.of(name, connections, true, NOW.minusSeconds(7200));
  }

  static List<PodLoad> pods(int count, long connectionsEach) {
    List<PodLoad> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(pod(String.format("p%02d", i), connectionsEach, 3600 + i));
    }
    return list;
  }

  static List<PodLoad> ten(long connectionsEach) {
    return pods(10, connectionsEach);
  }

  /** A step taken {@code secondsAgo} before now. */
  static ScalingMemory.Step step(long secondsAgo, int delta) {
    return new ScalingMemory.Step(NOW.minusSeconds(secondsAgo), delta);
  }

  static ScalingMemory steps(ScalingMemory.Step... steps) {
    return new ScalingMemory(List.of(), List.of(steps), null);
  }

  /** A recommendation made {@code secondsAgo} before now. */
  static Recommendation rec(long secondsAgo, int replicas) {
    return new Recommendation(NOW.minusSeconds(secondsAgo), replicas);
  }
}
