package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks a local-fleet run against what a platform team expects, and says so in figures. */
record FleetVerdict(Map<String, Object> figures, List<String> failures) {

  static FleetVerdict judge(
      LocalFleetOptions options,
      List<FleetTimeline.Sample> samples,
      Map<String, Integer> events,
      List<PodRunner.Departure> departures,
      LoadRun.Outcome load,
      boolean settled) {
    Map<String, Object> f = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    int peakReady = samples.stream().mapToInt(FleetTimeline.Sample::ready).max().orElse(0);
    FleetTimeline.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    int finalReady = last == null ? 0 : last.ready();
    long departedWithClients =
        departures.stream().filter(d -> d.connectionsAtDeletion() != 0).count();
    long departedUnclean = departures.stream().filter(d -> d.exitCode() != 0).count();
    f.put("peakReadyPods", peakReady);
    f.put("expectedPeakPods", options.expectedPeak());
    f.put("finalReadyPods", finalReady);
    f.put("expectedFinalPodsAtMost", options.expectedFinalMax());
    f.put("events", events);
    f.put("podsRemoved", departures.size());
    f.put("podsRemovedWithConnections", departedWithClients);
    f.put("podsExitedNonZero", departedUnclean);
    LoadFollowing following =
        LoadFollowing.check(
            samples,
            new LoadFollowing.Bounds(
                options.targetPerPod(),
                FleetSettings.MIN_REPLICAS,
                options.maxReplicas(),
                FleetSettings.SCALE_UP_SECONDS,
                FleetSettings.scaleDownSeconds(
                    options.expectedPeak() - FleetSettings.MIN_REPLICAS)));
    f.put("scaleUpWorstSeconds", Math.round(following.worstUpSeconds() * 10) / 10.0);
    f.put("scaleDownWorstSeconds", Math.round(following.worstDownSeconds() * 10) / 10.0);
    f.put("departures", departures);
    f.put("load", load.figures());

    if (!settled) {
      failures.add(
          "the fleet did not settle (no pod draining or stopping, ready = desired <= "
              + options.expectedFinalMax()
              + ") within "
              + options.settleSeconds()
              + " s after the load");
    }
    failures.addAll(following.failures());
    // Bounds, not exact times: within one pod of the peak need and back near the floor.
    if (peakReady < options.expectedPeak() - 1) {
      failures.add(
          "peak of " + peakReady + " ready pods, expected about " + options.expectedPeak());
    }
    if (finalReady > options.expectedFinalMax()) {
      failures.add(
          finalReady
              + " ready pods after the load fell, expected at most "
              + options.expectedFinalMax());
    }
    int drained = events.getOrDefault("DrainCompleted", 0);
    if (departures.isEmpty() || drained < departures.size()) {
      failures.add(
          departures.size() + " pods removed but only " + drained + " DrainCompleted events");
    }
    if (events.getOrDefault("DrainTimedOut", 0) > 0) {
      failures.add(events.get("DrainTimedOut") + " drains hit their deadline");
    }
    if (departedWithClients > 0) {
      failures.add(departedWithClients + " pods were deleted with clients still connected");
    }
    if (departedUnclean > 0) {
      failures.add(departedUnclean + " pod servers exited with a non-zero code");
    }
    failures.addAll(load.failures());
    f.put("passed", failures.isEmpty());
    f.put("failures", failures);
    return new FleetVerdict(f, failures);
  }

  boolean passed() {
    return failures.isEmpty();
  }

  String json() {
    return Serialization.asJson(figures);
  }

  String text() {
    StringBuilder s = new StringBuilder("local-fleet verdict:\n");
    for (var e : figures.entrySet()) {
      if (!e.getKey().equals("departures") && !e.getKey().equals("load")) {
        s.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    s.append(failures.isEmpty() ? "  PASSED\n" : "  FAILED\n");
    return s.toString();
  }
}
