package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end on a real single-node cluster (kubelet, containerd, kube-proxy, CoreDNS): the README's
 * main job with a CI-sized profile. wsfleet is installed from crds/ and manifests/ with the images
 * the build made; 2,000 clients at 200 per pod grow the fleet from 2 to about 10 pods; falling to
 * 400 drains it back toward 2, and the leader operator pod is deleted in the middle of a drain.
 * Nothing is lost, and the host is left as it was.
 */
class LocalFleetIT {

  private static final List<String> KERNEL_SETTINGS =
      List.of("vm/overcommit_memory", "kernel/panic", "kernel/panic_on_oops");

  @Test
  void theFleetFollowsTheLoadUpAndDownWithoutLosingAMessage() throws Exception {
    Path root = Path.of(System.getProperty("wsfleet.repoRoot", "..")).toAbsolutePath().normalize();
    Path out = root.resolve("e2e/target/local-fleet-it");
    Map<String, String> kernelBefore = kernelSettings();
    deleteRecursively(out); // a summary from an earlier run must not stand in for this one
    Process run =
        new ProcessBuilder(
                "bash",
                "e2e/fleet/run.sh",
                "--profile",
                "ramp 2000 50, hold 20, ramp 400 20, hold 30",
                "--out",
                out.toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    // Through System.out, which failsafe shows in the build's output with the cluster's phases
    // and timings; a child writing to the fork's own stdout would corrupt failsafe's channel.
    Thread echo =
        new Thread(
            () -> {
              try (var lines = run.inputReader().lines()) {
                lines.forEach(System.out::println);
              }
            },
            "run.sh output");
    echo.start();
    try {
      assertThat(run.waitFor(20, TimeUnit.MINUTES)).as("finished within 20 minutes").isTrue();
    } finally {
      if (run.isAlive()) {
        run.destroy(); // run.sh's trap stops everything in its namespace
        run.waitFor(30, TimeUnit.SECONDS);
      }
    }

    echo.join(TimeUnit.SECONDS.toMillis(30));
    JsonNode summary =
        new ObjectMapper().readTree(new File(out.resolve("summary.json").toString()));
    assertThat(summary.path("failures").toString()).isEqualTo("[]");
    assertThat(run.exitValue()).isZero();
    assertThat(summary.path("peakReadyPods").asInt()).isBetween(9, 12);
    assertThat(summary.path("finalReadyPods").asInt()).isBetween(2, 3);
    assertThat(summary.path("podsRemoved").asInt()).isGreaterThanOrEqualTo(6);
    assertThat(summary.path("podsRemovedWithConnections").asInt()).isZero();
    assertThat(summary.path("events").path("DrainTimedOut").asInt(0)).isZero();
    JsonNode load = summary.path("load");
    assertThat(load.path("lost").asLong(-1)).isZero();
    assertThat(load.path("duplicated").asLong(-1)).isZero();
    assertThat(load.path("outOfOrder").asLong(-1)).isZero();
    assertThat(load.path("closedByDrain").asLong()).isPositive();
    // Every client a drain closed came back, unless the profile itself stopped it meanwhile.
    assertThat(
            load.path("reconnectedAfterDrain").asLong() + load.path("drainedThenStopped").asLong())
        .isEqualTo(load.path("closedByDrain").asLong());
    assertThat(load.path("clean").asBoolean()).isTrue();
    assertThat(load.path("published").asLong()).isPositive();
    assertThat(load.path("publishRefused").asLong(-1)).isZero();
    assertThat(load.path("received").asLong()).isGreaterThan(load.path("published").asLong());
    // Replicas followed the load within the bounds the run derives from the fleet's windows.
    assertThat(summary.path("scaleUpWorstSeconds").asDouble(-1)).isBetween(0.0, 30.0);
    assertThat(summary.path("scaleDownWorstSeconds").asDouble(-1)).isPositive();
    assertThat(Files.readString(out.resolve("chart.svg"))).startsWith("<svg");

    // The leader hand-over: the other replica took the Lease and completed that drain, once.
    JsonNode handOver = summary.path("leaderHandOver");
    assertThat(handOver.path("newLeader").asText()).isNotBlank();
    assertThat(handOver.path("newLeader").asText())
        .isNotEqualTo(handOver.path("oldLeader").asText());
    assertThat(handOver.path("drainCompletedEvents").asInt()).isEqualTo(1);
    assertThat(handOver.path("drainCompletedBy").get(0).asText())
        .isEqualTo(handOver.path("newLeader").asText());
    assertThat(handOver.path("podDeparted").asInt()).isEqualTo(1);

    // The admin-token Secret deleted once the fleet had grown: it came back with a new token and
    // the old one kept, and neither scrapes nor drains of the pods holding the old one went blind.
    JsonNode rotation = summary.path("tokenRotation");
    assertThat(rotation.path("previousTokenKept").asBoolean()).as(rotation.toString()).isTrue();
    assertThat(rotation.path("scrapeFailingAfter").asInt(-1)).as(rotation.toString()).isZero();
    assertThat(rotation.path("drainsCompletedAfter").asInt()).as(rotation.toString()).isPositive();
    assertThat(rotation.path("drainsTimedOutAfter").asInt(-1)).as(rotation.toString()).isZero();

    // Read from the running servers' processes on the node, not from their pod specs.
    JsonNode facts = summary.path("podFacts");
    assertThat(facts.size()).isPositive();
    for (JsonNode pod : facts) {
      assertThat(pod.path("uid").asLong()).as(pod.toString()).isEqualTo(10001);
      assertThat(pod.path("readOnlyRoot").asBoolean()).as(pod.toString()).isTrue();
      assertThat(pod.path("tokenMounted").asBoolean()).as(pod.toString()).isTrue();
    }
    // The admin port is never behind the client Service.
    assertThat(summary.path("endpointSlicePorts").toString())
        .contains("\"ws:")
        .doesNotContain("admin")
        .doesNotContain("9090");

    // The host is as it was: no process of the cluster, no namespace, kubelet's kernel settings
    // restored, no pod cgroups, no mounts left behind.
    assertThat(output("pgrep", "-af", ".cache/cluster|kubelet|containerd|FleetScenario")).isEmpty();
    assertThat(output("ip", "netns", "list")).doesNotContain("wsfleet-node").doesNotContain("cni-");
    assertThat(kernelSettings()).isEqualTo(kernelBefore);
    assertThat(Files.exists(Path.of("/sys/fs/cgroup/memory/kubepods"))).isFalse();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
        .doesNotContain("/kubelet/")
        .doesNotContain("containerd");
  }

  private static Map<String, String> kernelSettings() throws java.io.IOException {
    Map<String, String> values = new java.util.TreeMap<>();
    for (String key : KERNEL_SETTINGS) {
      values.put(key, Files.readString(Path.of("/proc/sys", key)).strip());
    }
    return values;
  }

  private static String output(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes());
    process.waitFor(10, TimeUnit.SECONDS);
    return text;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
