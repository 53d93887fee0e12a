package io.wsfleet.e2e.fleet;

import io.wsfleet.e2e.cli.Args;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fleet scenario's flags, with defaults that show a fleet growing from 2 to about 10 pods and
 * back in a few minutes.
 *
 * @param profile load phases, e.g. "ramp 2000 60, hold 30, ramp 400 30, hold 60"
 * @param expectedPeak pods the fleet should reach at the peak (clients / target per pod)
 * @param expectedFinalMax most pods the fleet may still have once it has settled after the load
 * @param ctr the command that runs containerd's ctr on the node, e.g. "bash e2e/cluster/cluster.sh
 *     ctr"
 * @param nodeExec the prefix that runs a command where the node's processes are (empty: here)
 * @param handOver whether the leader operator pod is deleted during a scale-down drain
 * @param rotateToken whether the fleet's admin-token Secret is deleted once the fleet has grown
 */
record ScenarioOptions(
    Path out,
    Path kubeconfig,
    Path kubectl,
    String fleetFile,
    String profile,
    int targetPerPod,
    int maxReplicas,
    int channels,
    int publishRate,
    String sources,
    int settleSeconds,
    int expectedPeak,
    int expectedFinalMax,
    List<String> ctr,
    List<String> nodeExec,
    boolean handOver,
    boolean rotateToken) {

  static ScenarioOptions parse(String[] args) {
    Map<String, String> flags = Args.parse(args);
    String profile = flags.getOrDefault("profile", "ramp 2000 60, hold 30, ramp 400 30, hold 60");
    int target = Args.integer(flags, "target-per-pod", 200);
    int peakClients = LoadRun.peakClients(profile);
    int finalClients = LoadRun.finalClients(profile);
    return new ScenarioOptions(
        Path.of(flags.getOrDefault("out", "e2e/target/local-fleet")).toAbsolutePath(),
        Path.of(Args.required(flags, "kubeconfig")).toAbsolutePath(),
        Path.of(flags.getOrDefault("kubectl", "kubectl")),
        flags.getOrDefault("fleet", "manifests/sample-fleet.yaml"),
        profile,
        target,
        Args.integer(flags, "max-replicas", 12),
        Args.integer(flags, "channels", 2),
        Args.integer(flags, "publish-rate", 10),
        flags.getOrDefault("sources", ""),
        Args.integer(flags, "settle-seconds", 150),
        (peakClients + target - 1) / target,
        Math.max(2, (finalClients + target - 1) / target + 1),
        words(flags.getOrDefault("ctr", "ctr -n k8s.io")),
        words(flags.getOrDefault("node-exec", "")),
        !"false".equals(flags.getOrDefault("hand-over", "true")),
        !"false".equals(flags.getOrDefault("rotate-token", "true")));
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }
}
