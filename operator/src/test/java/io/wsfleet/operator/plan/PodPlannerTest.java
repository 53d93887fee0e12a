package io.wsfleet.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.operator.plan.PodPlan.Create;
import io.wsfleet.operator.plan.PodPlan.Drain;
import io.wsfleet.operator.plan.PodPlan.Removal;
import io.wsfleet.operator.policy.PartialDrain;
import io.wsfleet.operator.policy.PodLoad;
import io.wsfleet.operator.policy.ScalingDecision;
import io.wsfleet.operator.policy.ScalingMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the pod planner does to which pod, one row per situation, as Agones tests its fleets. */
class PodPlannerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String NEW = "new-hash";
  private static final String OLD = "old-hash";

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void plans(Row row) {
    PlanSettings s = row.settings;
    PodGroups groups = PodGroups.of(row.pods, s.templateHash());
    PodPlan plan = PodPlanner.plan(s, groups, row.decision, true, NOW);
    row.check.accept(plan);
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("a finished pod is removed and the count refilled")
            .pods(pod("a"), pod("b").phase("Failed"))
            .desired(2)
            .expect(p -> assertThat(p.removals()).containsExactly(removal("b", "finished")))
            .expect(p -> assertThat(p.creates()).containsExactly(new Create(null, "scale-up"))),
        row("a pod unready past replaceUnreadyAfter is drained and replaced")
            .pods(pod("a"), pod("b").unreadyFor(301))
            .desired(2)
            .expect(p -> assertThat(p.drains()).containsExactly(new Drain("b", "unready")))
            .expect(p -> assertThat(p.creates()).containsExactly(new Create(null, "unready"))),
        row("a crash-looping pod past the deadline holds no clients: removed and replaced")
            .pods(pod("a"), pod("b").unreadyFor(301).restarts(4).waiting("CrashLoopBackOff"))
            .desired(2)
            .expect(p -> assertThat(p.removals()).containsExactly(removal("b", "unready")))
            .expect(p -> assertThat(p.drains()).isEmpty())
            .expect(p -> assertThat(p.creates()).containsExactly(new Create(null, "unready"))),
        row("a pod unready for less than replaceUnreadyAfter is left alone")
            .pods(pod("a"), pod("b").unreadyFor(299))
            .desired(2)
            .expect(p -> assertThat(p.drains()).isEmpty())
            .expect(p -> assertThat(p.creates()).isEmpty()),
        row("an unschedulable pod is reported, not replaced: another would not fit either")
            .pods(pod("a"), pod("b").unschedulable("0/1 nodes are available").unreadyFor(900))
            .desired(2)
            .expect(p -> assertThat(p.drains()).isEmpty())
            .expect(
                p -> assertThat(p.unschedulable()).containsExactly("b: 0/1 nodes are available"))
            .expect(p -> assertThat(p.unavailable()).isEmpty()),
        row("a crash-looping pod is not capacity")
            .pods(pod("a"), pod("b").unreadyFor(20).restarts(3).waiting("CrashLoopBackOff"))
            .desired(2)
            .expect(
                p ->
                    assertThat(p.unavailable())
                        .containsExactly(
                            new PodPlan.Unavailable(
                                "b", "not ready, CrashLoopBackOff, 3 restarts"))),
        row("rollout: a replacement ready for less than minReadySeconds does not drain its pod")
            .pods(pod("a").hash(OLD), pod("r").replaces("a").readyFor(5))
            .desired(1)
            .expect(p -> assertThat(p.drains()).isEmpty())
            .expect(p -> assertThat(p.creates()).isEmpty()),
        row("rollout: a replacement ready for minReadySeconds drains the pod it replaces")
            .pods(pod("a").hash(OLD), pod("b").hash(OLD), pod("r").replaces("a").readyFor(10))
            .desired(2)
            .expect(p -> assertThat(p.drains()).containsExactly(new Drain("a", "rollout")))
            .expect(p -> assertThat(p.creates()).isEmpty()),
        row("rollout: at most maxSurge rollout drains in flight")
            .pods(
                pod("a").hash(OLD).draining("rollout"),
                pod("b").hash(OLD),
                pod("c").hash(OLD),
                pod("r").replaces("b").readyFor(60))
            .desired(2)
            .expect(p -> assertThat(p.drains()).isEmpty())
            .expect(p -> assertThat(p.creates()).isEmpty()),
        row("rollout: drains for scale-down count toward drain.maxConcurrent")
            .settings(s -> s.maxSurge(3).maxConcurrent(2))
            .pods(
                pod("x").draining("scale-down"),
                pod("y").draining("scale-down"),
                pod("b").hash(OLD),
                pod("r").replaces("b").readyFor(60))
            .desired(1)
            .expect(p -> assertThat(p.drains()).isEmpty()),
        row("rollout: a new-template pod that stopped being ready halts new replacements")
            .pods(pod("n").unreadyFor(5).restarts(2), pod("b").hash(OLD), pod("c").hash(OLD))
            .desired(3)
            .expect(p -> assertThat(p.creates()).isEmpty()),
        row("rollout: with every new pod available, one replacement per free surge slot")
            .settings(s -> s.maxSurge(2))
            .pods(pod("n").readyFor(60), pod("b").hash(OLD), pod("c").hash(OLD), pod("d").hash(OLD))
            .desired(4)
            .expect(
                p ->
                    assertThat(p.creates())
                        .containsExactly(new Create("b", "rollout"), new Create("c", "rollout"))),
        row("rollout: a stuck replacement of a template that moved on is removed")
            .pods(
                pod("a").hash(OLD),
                pod("r")
                    .hash("older-hash")
                    .replaces("a")
                    .unreadyFor(900)
                    .waiting("ImagePullBackOff"))
            .desired(1)
            .expect(p -> assertThat(p.removals()).containsExactly(removal("r", "superseded"))),
        row("rollout: a stuck replacement of the current template is reported past the deadline")
            .pods(
                pod("a").hash(OLD),
                pod("r").replaces("a").unreadyFor(601).waiting("ImagePullBackOff"))
            .desired(1)
            .expect(p -> assertThat(p.removals()).isEmpty())
            .expect(p -> assertThat(p.stalled()).containsExactly("r (ImagePullBackOff)")),
        row("scale-down: a pod being replaced leaves with its replacement")
            .pods(pod("a").hash(OLD), pod("b"), pod("r").replaces("a").readyFor(2))
            .desired(1)
            .drain("a")
            .expect(
                p ->
                    assertThat(p.drains())
                        .containsExactly(
                            new Drain("a", "scale-down"), new Drain("r", "scale-down"))),
        row("scale-up: new pods to the desired count")
            .pods(pod("a"))
            .desired(3)
            .expect(p -> assertThat(p.creates()).hasSize(2).allMatch(c -> c.replaces() == null)),
        row("metadata: a pod with older template labels is relabelled, not replaced")
            .pods(pod("a").metadata("older"), pod("b"))
            .desired(2)
            .expect(p -> assertThat(p.relabels()).containsExactly("a"))
            .expect(p -> assertThat(p.creates()).isEmpty())
            .expect(p -> assertThat(p.drains()).isEmpty()),
        row("rebalance: a hot pod is asked to shed clients")
            .pods(pod("a"), pod("b"))
            .desired(2)
            .rebalance("a", 40)
            .expect(
                p -> assertThat(p.rebalances()).containsExactly(new PodPlan.Rebalance("a", 40))),
        row("rebalance: not again within the quiet period")
            .pods(pod("a").rebalancedAgo(10), pod("b"))
            .desired(2)
            .rebalance("a", 40)
            .expect(p -> assertThat(p.rebalances()).isEmpty()),
        row("rebalance: not while a pod is not ready")
            .pods(pod("a"), pod("b").unreadyFor(3))
            .desired(2)
            .rebalance("a", 40)
            .expect(p -> assertThat(p.rebalances()).isEmpty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loadRows")
  void loads(String name, PodView pod, boolean available, boolean outdated) {
    PlanSettings s = new Settings().build();
    List<PodLoad> loads = PodPlanner.loads(PodGroups.of(List.of(pod), NEW), s, NOW);
    assertThat(loads).singleElement().returns(available, PodLoad::available);
    assertThat(loads).singleElement().returns(outdated, PodLoad::outdated);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> loadRows() {
    return Stream.of(
        args("ready", pod("a").build(), true, false),
        args("starting, never ready", pod("a").unreadyFor(30).build(), true, false),
        args(
            "unschedulable",
            pod("a").unschedulable("no room").unreadyFor(900).build(),
            true,
            false),
        args("crash-looping", pod("a").unreadyFor(30).restarts(1).build(), false, false),
        args("unready past the deadline", pod("a").unreadyFor(400).build(), false, false),
        args("ready but unreachable", pod("a").scrapeFailing().build(), false, false),
        args("older template", pod("a").hash(OLD).build(), true, true));
  }

  private static org.junit.jupiter.params.provider.Arguments args(Object... values) {
    return org.junit.jupiter.params.provider.Arguments.of(values);
  }

  // --- table helpers --------------------------------------------------------------------------

  static Removal removal(String pod, String reason) {
    return new Removal(pod, reason);
  }

  static Row row(String name) {
    return new Row(name);
  }

  static PodBuilder pod(String name) {
    return new PodBuilder(name);
  }

  /** One situation and what the plan must say about it. */
  static final class Row {
    final String name;
    PlanSettings settings = new Settings().build();
    List<PodView> pods = List.of();
    int desired;
    List<String> drain = new ArrayList<>();
    List<PartialDrain> rebalance = new ArrayList<>();
    ScalingDecision decision;
    Consumer<PodPlan> check = p -> {};

    Row(String name) {
      this.name = name;
    }

    Row settings(Consumer<Settings> change) {
      Settings s = new Settings();
      change.accept(s);
      settings = s.build();
      return this;
    }

    Row pods(PodBuilder... builders) {
      pods = Stream.of(builders).map(PodBuilder::build).toList();
      return this;
    }

    Row desired(int count) {
      desired = count;
      return decide();
    }

    Row drain(String pod) {
      drain.add(pod);
      return decide();
    }

    Row rebalance(String pod, long count) {
      rebalance.add(new PartialDrain(pod, count));
      return decide();
    }

    private Row decide() {
      decision =
          new ScalingDecision(
              desired,
              pods.size(),
              ScalingDecision.Reason.STEADY,
              "test",
              false,
              drain,
              rebalance,
              ScalingMemory.empty());
      return this;
    }

    Row expect(Consumer<PodPlan> more) {
      check = check.andThen(more);
      return this;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Plan settings: maxSurge 1, minReady 10 s, deadline 600 s, unready 300 s, 2 drains. */
  static final class Settings {
    int maxSurge = 1;
    int maxConcurrent = 2;

    Settings maxSurge(int value) {
      maxSurge = value;
      return this;
    }

    Settings maxConcurrent(int value) {
      maxConcurrent = value;
      return this;
    }

    PlanSettings build() {
      return new PlanSettings(
          NEW,
          "meta",
          maxSurge,
          Duration.ofSeconds(10),
          Duration.ofSeconds(600),
          Duration.ofSeconds(300),
          maxConcurrent,
          Duration.ofSeconds(30));
    }
  }

  /** A pod: by default Running, ready for an hour, current template, with 10 connections. */
  static final class PodBuilder {
    final String name;
    String hash = NEW;
    String metadata = "meta";
    String replaces;
    String drainReason;
    String phase = "Running";
    Instant readySince = NOW.minusSeconds(3600);
    Instant unreadySince = NOW.minusSeconds(7200);
    int restarts;
    String waiting;
    String unschedulable;
    boolean scrapeFailing;
    Instant rebalancedAt;

    PodBuilder(String name) {
      this.name = name;
    }

    PodBuilder hash(String value) {
      hash = value;
      return this;
    }

    PodBuilder metadata(String value) {
      metadata = value;
      return this;
    }

    PodBuilder replaces(String pod) {
      replaces = pod;
      return this;
    }

    PodBuilder draining(String reason) {
      drainReason = reason;
      return this;
    }

    PodBuilder phase(String value) {
      phase = value;
      return this;
    }

    PodBuilder readyFor(long seconds) {
      readySince = NOW.minusSeconds(seconds);
      return this;
    }

    PodBuilder unreadyFor(long seconds) {
      readySince = null;
      unreadySince = NOW.minusSeconds(seconds);
      return this;
    }

    PodBuilder restarts(int count) {
      restarts = count;
      return this;
    }

    PodBuilder waiting(String reason) {
      waiting = reason;
      return this;
    }

    PodBuilder unschedulable(String message) {
      unschedulable = message;
      return this;
    }

    PodBuilder scrapeFailing() {
      scrapeFailing = true;
      return this;
    }

    PodBuilder rebalancedAgo(long seconds) {
      rebalancedAt = NOW.minusSeconds(seconds);
      return this;
    }

    PodView build() {
      Instant created = readySince != null ? readySince.minusSeconds(5) : unreadySince;
      return new PodView(
          name,
          hash,
          metadata,
          Optional.ofNullable(replaces),
          Optional.ofNullable(drainReason),
          phase,
          Optional.ofNullable(readySince),
          unreadySince,
          restarts,
          Optional.ofNullable(waiting),
          Optional.ofNullable(unschedulable),
          unschedulable == null,
          created,
          OptionalLong.of(10),
          scrapeFailing,
          Optional.ofNullable(rebalancedAt));
    }
  }
}
