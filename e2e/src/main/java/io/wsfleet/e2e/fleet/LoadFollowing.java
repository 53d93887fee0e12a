package io.wsfleet.e2e.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether ready pods followed the load within bounds (not exact times): from any moment, within
 * {@code upSeconds} the fleet reached what the load then needed, and within {@code downSeconds} it
 * came down to the most the load needed over that time. One pod of slack either way: the
 * publisher's connection and rounding sit on the boundary.
 *
 * @param worstUpSeconds longest the fleet took to reach a need it did reach
 * @param worstDownSeconds longest it took to come down to a need it did come down to
 * @param failures the first moment of each kind the fleet missed, with how many more
 */
record LoadFollowing(double worstUpSeconds, double worstDownSeconds, List<String> failures) {

  /** The bounds and the fleet's sizing that turn clients into needed pods. */
  record Bounds(
      int targetPerPod, int minReplicas, int maxReplicas, int upSeconds, int downSeconds) {

    int need(FleetTimeline.Sample s) {
      return Math.min(
          maxReplicas, Math.max(minReplicas, (s.clients() + targetPerPod - 1) / targetPerPod));
    }
  }

  static LoadFollowing check(List<FleetTimeline.Sample> samples, Bounds bounds) {
    double worstUp = 0;
    double worstDown = 0;
    Miss upMisses = new Miss();
    Miss downMisses = new Miss();
    double end = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds();
    for (int i = 0; i < samples.size(); i++) {
      FleetTimeline.Sample from = samples.get(i);
      int need = bounds.need(from);
      int mostNeeded = need;
      double up = Double.NaN;
      double down = Double.NaN;
      for (int j = i; j < samples.size() && (Double.isNaN(up) || Double.isNaN(down)); j++) {
        FleetTimeline.Sample later = samples.get(j);
        mostNeeded = Math.max(mostNeeded, bounds.need(later));
        if (Double.isNaN(up) && later.ready() >= need - 1) {
          up = later.seconds() - from.seconds();
        }
        if (Double.isNaN(down) && later.ready() <= mostNeeded + 1) {
          down = later.seconds() - from.seconds();
        }
      }
      // Not reached by the end of the run counts as a miss once the bound has passed.
      double left = end - from.seconds();
      if (Double.isNaN(up) ? left > bounds.upSeconds() : up > bounds.upSeconds()) {
        upMisses.add(
            String.format(
                "at %.0f s %d clients needed %d pods; %d ready took longer than %d s",
                from.seconds(), from.clients(), need, need - 1, bounds.upSeconds()));
      }
      if (Double.isNaN(down) ? left > bounds.downSeconds() : down > bounds.downSeconds()) {
        downMisses.add(
            String.format(
                "at %.0f s %d ready pods for %d clients (need %d) did not come down within %d s",
                from.seconds(), from.ready(), from.clients(), need, bounds.downSeconds()));
      }
      worstUp = Double.isNaN(up) ? worstUp : Math.max(worstUp, up);
      worstDown = Double.isNaN(down) ? worstDown : Math.max(worstDown, down);
    }
    List<String> failures = new ArrayList<>();
    upMisses.describe(failures);
    downMisses.describe(failures);
    return new LoadFollowing(worstUp, worstDown, failures);
  }

  /** The first miss of one kind, and how many moments missed. */
  private static final class Miss {
    String first;
    int count;

    void add(String what) {
      if (first == null) {
        first = what;
      }
      count++;
    }

    void describe(List<String> into) {
      if (first != null) {
        into.add(first + (count > 1 ? " (and " + (count - 1) + " later moments)" : ""));
      }
    }
  }
}
