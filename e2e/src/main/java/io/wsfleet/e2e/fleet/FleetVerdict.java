package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a fleet scenario run against what a platform team expects, and says so in figures. */
record FleetVerdict(Map<String, Object> figures, List<String> failures) {

  /** What was read from the cluster beside the timeline: figures, and what they fail. */
  record Checks(Map<String, Object> figures, List<String> failures) {}

  private static final Pattern DRAIN_SECONDS =
      Pattern.compile("reached 0 connections ([0-9.]+) s after its drain started");

  static FleetVerdict judge(
      ScenarioOptions options,
      List<FleetTimeline.Sample> samples,
      Map<String, Integer> events,
      List<PodWatch.Departure> departures,
      LoadRun.Outcome load,
      boolean settled,
      Checks checks) {
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
                options.handOver()
                    ? FleetSettings.scaleDownSecondsWithHandOver(
                        options.expectedPeak() - FleetSettings.MIN_REPLICAS)
                    : FleetSettings.scaleDownSeconds(
                        options.expectedPeak() - FleetSettings.MIN_REPLICAS)));
    f.put("scaleUpWorstSeconds", Math.round(following.worstUpSeconds() * 10) / 10.0);
    f.put("scaleDownWorstSeconds", Math.round(following.worstDownSeconds() * 10) / 10.0);
    f.put("departures", departures);
    f.putAll(checks.figures());
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
    failures.addAll(checks.failures());
    failures.addAll(load.failures());
    f.put("passed", failures.isEmpty());
    f.put("failures", failures);
    return new FleetVerdict(f, failures);
  }

  /** How long each completed drain took, from the operator's DrainCompleted events. */
  static List<Double> drainSeconds(List<Event> events) {
    List<Double> seconds = new ArrayList<>();
    for (Event e : events) {
      Matcher m = DRAIN_SECONDS.matcher(e.getMessage() == null ? "" : e.getMessage());
      if ("DrainCompleted".equals(e.getReason()) && m.find()) {
        seconds.add(Double.parseDouble(m.group(1)));
      }
    }
    return seconds;
  }

  /** A server must run as uid 10001 on a read-only root with the admin token mounted. */
  static List<String> podFactFailures(List<Map<String, Object>> podFacts) {
    List<String> failures = new ArrayList<>();
    if (podFacts.isEmpty()) {
      failures.add("no running server pod to read uid, root filesystem and mounts from");
    }
    for (Map<String, Object> facts : podFacts) {
      if (facts.containsKey("error")
          || !Long.valueOf(10001).equals(facts.get("uid"))
          || !Boolean.TRUE.equals(facts.get("readOnlyRoot"))
          || !Boolean.TRUE.equals(facts.get("tokenMounted"))
          || !Boolean.TRUE.equals(facts.get("tmpWritable"))) {
        failures.add(
            "pod "
                + facts.get("pod")
                + " should run as uid 10001 on a read-only root with the admin token and a"
                + " writable /tmp mounted: "
                + facts);
      }
    }
    return failures;
  }

  boolean passed() {
    return failures.isEmpty();
  }

  String json() {
    return Serialization.asJson(figures);
  }

  String text() {
    StringBuilder s = new StringBuilder("fleet verdict:\n");
    for (var e : figures.entrySet()) {
      if (!List.of("departures", "load", "podFacts").contains(e.getKey())) {
        s.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
      }
    }
    s.append(failures.isEmpty() ? "  PASSED\n" : "  FAILED\n");
    return s.toString();
  }
}
