package io.wsfleet.e2e.operatorbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator benchmark's arithmetic: metric parsing, quantiles, the stand-in's client model. */
class BenchFiguresTest {

  private static final String BEFORE =
      """
      # TYPE x histogram
      x_bucket{execution="reconcile",le="0.1"} 10
      x_bucket{execution="reconcile",le="1.0"} 10
      x_bucket{execution="reconcile",le="+Inf"} 10
      x_bucket{execution="cleanup",le="0.1"} 5
      x_bucket{execution="cleanup",le="1.0"} 5
      x_bucket{execution="cleanup",le="+Inf"} 5
      """;
  private static final String AFTER =
      """
      x_bucket{execution="reconcile",le="0.1"} 60
      x_bucket{execution="reconcile",le="1.0"} 110
      x_bucket{execution="reconcile",le="+Inf"} 110
      x_bucket{execution="cleanup",le="0.1"} 500
      x_bucket{execution="cleanup",le="1.0"} 500
      x_bucket{execution="cleanup",le="+Inf"} 500
      """;

  @Test
  void quantilesInterpolateInsideTheBucketOfThePhaseDifference() {
    BucketQuantiles q =
        BucketQuantiles.between(
            PromSamples.parse(BEFORE),
            PromSamples.parse(AFTER),
            "x",
            s -> "reconcile".equals(s.label("execution")));

    assertThat(q.count()).isEqualTo(100);
    // 50 of the 100 in [0, 0.1], 50 in (0.1, 1.0]: rank 50 is the first bucket's top.
    assertThat(q.quantile(0.50)).isCloseTo(0.1, within(1e-9));
    // Rank 99 is 49/50 of the way through the second bucket.
    assertThat(q.quantile(0.99)).isCloseTo(0.1 + 0.9 * 49 / 50, within(1e-9));
    assertThat(q.bucketBound(0.99)).isEqualTo(1.0);
  }

  @Test
  void samplesKeepQuotedLabelsWithCommasAndEscapes() {
    PromSamples samples =
        PromSamples.parse(
            "apiserver_request_total{code=\"200\",resource=\"pods\",verb=\"a,b \\\"c\\\"\"} 7\n"
                + "apiserver_request_total{resource=\"pods\",verb=\"GET\"} 3 1700000000\n"
                + "plain 2.5e1\n");

    assertThat(samples.sum("apiserver_request_total")).isEqualTo(10);
    assertThat(samples.sum("apiserver_request_total", s -> s.label("verb").equals("a,b \"c\"")))
        .isEqualTo(7);
    assertThat(samples.sum("plain")).isEqualTo(25);
  }

  @Test
  void aDrainingPodsClientsFallAtTheRateAndMoveToTheServingPods() {
    StandInFleet fleet = new StandInFleet(300);
    StandInPod a = new StandInPod("a", "127.77.0.2", "t", 1000, 0);
    StandInPod b = new StandInPod("b", "127.77.0.3", "t", 1000, 0);
    StandInPod c = new StandInPod("c", "127.77.0.4", "t", 1000, 0);
    List.of(a, b, c).forEach(fleet::add);
    assertThat(fleet.connections(a, 0)).isEqualTo(100);

    c.startDrain(0, fleet.connections(c, 0), 20);
    long twoSeconds = 2_000_000_000L;

    assertThat(fleet.connections(c, twoSeconds)).isEqualTo(60);
    assertThat(fleet.connections(a, twoSeconds) + fleet.connections(b, twoSeconds)).isEqualTo(240);
    assertThat(fleet.connections(c, 10 * twoSeconds)).isZero();
  }

  @Test
  void aServingPodNeverReportsMoreThanItsCap() {
    StandInFleet fleet = new StandInFleet(5000);
    StandInPod only = new StandInPod("a", "127.77.0.2", "t", 1000, 0);
    fleet.add(only);

    assertThat(fleet.connections(only, 0)).isEqualTo(1000);
  }

  @Test
  void aGapAboveOneAndAHalfIntervalsIsLateAndRoundsSplitOnHalfAnInterval() {
    StandInPod a = new StandInPod("a", "127.77.0.2", "t", 1000, 0);
    StandInPod b = new StandInPod("b", "127.77.0.3", "t", 1000, 0);
    long s = 1_000_000_000L;
    for (long at : new long[] {0, 5 * s, 10 * s, 18 * s}) {
      a.scraped(at);
      b.scraped(at + s / 10);
    }
    ScrapeStats stats =
        ScrapeStats.of(
            List.of(new NodeStandIn.Registered(a, "ns/f"), new NodeStandIn.Registered(b, "ns/f")),
            0,
            20 * s,
            5);

    assertThat(stats.gaps()).isEqualTo(6);
    assertThat(stats.lateGaps()).isEqualTo(2);
    assertThat(stats.gapMax()).isEqualTo(8.0);
    assertThat(stats.rounds()).isEqualTo(4);
    assertThat(stats.roundMax()).isCloseTo(0.1, within(1e-9));
  }
}
