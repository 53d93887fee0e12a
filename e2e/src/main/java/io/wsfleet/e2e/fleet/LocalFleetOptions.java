package io.wsfleet.e2e.fleet;

import io.wsfleet.e2e.cli.Args;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local fleet's flags, with defaults that show a fleet growing from 2 to about 10 pods and back
 * in a few minutes.
 *
 * @param profile load phases, e.g. "ramp 2000 60, hold 30, ramp 400 30, hold 60"
 * @param expectedPeak pods the fleet should reach at the peak (clients / target per pod)
 * @param expectedFinalMax most pods the fleet may still have once it has settled after the load
 */
record LocalFleetOptions(
    Path out,
    String fleetFile,
    String profile,
    int targetPerPod,
    int maxReplicas,
    int channels,
    int publishRate,
    String sources,
    int frontPort,
    int settleSeconds,
    int expectedPeak,
    int expectedFinalMax,
    String netns,
    String runTag) {

  static LocalFleetOptions parse(String[] args) {
    Map<String, String> flags = Args.parse(args);
    String profile = flags.getOrDefault("profile", "ramp 2000 60, hold 30, ramp 400 30, hold 60");
    int target = Args.integer(flags, "target-per-pod", 200);
    int peakClients = LoadRun.peakClients(profile);
    int finalClients = LoadRun.finalClients(profile);
    return new LocalFleetOptions(
        Path.of(flags.getOrDefault("out", "e2e/target/local-fleet")).toAbsolutePath(),
        flags.getOrDefault("fleet", "manifests/sample-fleet.yaml"),
        profile,
        target,
        Args.integer(flags, "max-replicas", 12),
        Args.integer(flags, "channels", 2),
        Args.integer(flags, "publish-rate", 10),
        flags.getOrDefault("sources", "127.0.1.1-127.0.1.20"),
        Args.integer(flags, "front-port", 8080),
        Args.integer(flags, "settle-seconds", 120),
        (peakClients + target - 1) / target,
        Math.max(2, (finalClients + target - 1) / target + 1),
        flags.getOrDefault("netns", System.getenv().getOrDefault("WSFLEET_NETNS", "?")),
        flags.getOrDefault("run-tag", "local-fleet"));
  }
}
