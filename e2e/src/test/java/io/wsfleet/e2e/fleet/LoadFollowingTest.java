package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table tests of the "replicas follow the load within bounds" check. */
class LoadFollowingTest {

  // 200 clients per pod, 2 to 12 pods, up within 10 s, down within 20 s.
  private static final LoadFollowing.Bounds BOUNDS = new LoadFollowing.Bounds(200, 2, 12, 10, 20);

  /** One sample per second: {clients, ready} pairs. */
  private static List<FleetTimeline.Sample> run(int[][] clientsAndReady) {
    List<FleetTimeline.Sample> samples = new ArrayList<>();
    for (int t = 0; t < clientsAndReady.length; t++) {
      int clients = clientsAndReady[t][0];
      int ready = clientsAndReady[t][1];
      samples.add(
          new FleetTimeline.Sample(
              t, ready, ready, ready, 0, clients, clients, 0, Map.of(), List.of()));
    }
    return samples;
  }

  /** {@code seconds} samples of the same clients and ready pods. */
  private static int[][] hold(int seconds, int clients, int ready) {
    int[][] rows = new int[seconds][];
    for (int i = 0; i < seconds; i++) {
      rows[i] = new int[] {clients, ready};
    }
    return rows;
  }

  private static int[][] concat(int[][]... parts) {
    List<int[]> all = new ArrayList<>();
    for (int[][] part : parts) {
      all.addAll(List.of(part));
    }
    return all.toArray(new int[0][]);
  }

  @Test
  void aFleetThatGrowsAndShrinksWithinTheBoundsPasses() {
    LoadFollowing result =
        LoadFollowing.check(
            run(
                concat(
                    hold(5, 0, 2),
                    hold(5, 2000, 2),
                    hold(30, 2000, 10),
                    hold(15, 400, 10),
                    hold(30, 400, 3))),
            BOUNDS);

    assertThat(result.failures()).isEmpty();
    assertThat(result.worstUpSeconds()).isEqualTo(5.0);
    assertThat(result.worstDownSeconds()).isEqualTo(15.0);
  }

  @Test
  void aFleetStuckAtItsMinimumUnderLoadFailsTheScaleUpBound() {
    LoadFollowing result =
        LoadFollowing.check(run(concat(hold(5, 0, 2), hold(30, 2000, 2))), BOUNDS);

    assertThat(result.failures())
        .singleElement()
        .asString()
        .startsWith("at 5 s 2000 clients needed 10 pods; 9 ready took longer than 10 s")
        .contains("later moments");
  }

  @Test
  void aFleetThatNeverShrinksFailsTheScaleDownBound() {
    LoadFollowing result =
        LoadFollowing.check(run(concat(hold(10, 2000, 10), hold(40, 400, 10))), BOUNDS);

    assertThat(result.failures())
        .singleElement()
        .asString()
        .startsWith("at 10 s 10 ready pods for 400 clients (need 2) did not come down within 20 s");
  }

  @Test
  void onePodOfSlackEitherWayAndNoVerdictBeforeTheBoundHasPassed() {
    // 9 of 10 needed, 3 where 2 would do: within slack. The run ends 5 s after the load fell.
    LoadFollowing slack =
        LoadFollowing.check(run(concat(hold(20, 2000, 9), hold(20, 400, 3))), BOUNDS);
    LoadFollowing tooEarly =
        LoadFollowing.check(run(concat(hold(20, 2000, 10), hold(5, 400, 10))), BOUNDS);

    assertThat(slack.failures()).isEmpty();
    assertThat(tooEarly.failures()).isEmpty();
  }
}
