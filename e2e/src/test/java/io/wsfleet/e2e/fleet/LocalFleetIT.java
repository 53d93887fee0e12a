package io.wsfleet.e2e.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end: the README's main job with a CI-sized profile. 2,000 clients at 200 per pod grow the
 * fleet from 2 to about 10 pods; falling to 400 drains it back toward 2. Nothing is lost.
 */
class LocalFleetIT {

  @Test
  void theFleetFollowsTheLoadUpAndDownWithoutLosingAMessage() throws Exception {
    Path root = Path.of(System.getProperty("wsfleet.repoRoot", "..")).toAbsolutePath().normalize();
    Path out = root.resolve("e2e/target/local-fleet-it");
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
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      assertThat(run.waitFor(15, TimeUnit.MINUTES)).as("finished within 15 minutes").isTrue();
    } finally {
      if (run.isAlive()) {
        run.destroy(); // run.sh's trap stops everything in its namespace
        run.waitFor(30, TimeUnit.SECONDS);
      }
    }

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

    // No process of the run is left: the namespace and everything in it are gone.
    Process leftovers = new ProcessBuilder("pgrep", "-f", "wsfleet.run=wsfleet-").start();
    leftovers.waitFor(10, TimeUnit.SECONDS);
    assertThat(new String(leftovers.getInputStream().readAllBytes())).isEmpty();
    Process namespaces = new ProcessBuilder("ip", "netns", "list").start();
    namespaces.waitFor(10, TimeUnit.SECONDS);
    assertThat(new String(namespaces.getInputStream().readAllBytes())).doesNotContain("wsfleet-");
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
