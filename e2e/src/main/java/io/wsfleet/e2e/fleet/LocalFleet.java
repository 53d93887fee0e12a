package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import io.wsfleet.localcluster.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Test and demo scaffolding: the whole system on one machine without Docker. A real control plane,
 * the CRDs, the operator as a process, a real Redis, pods run as ws-node processes by {@link
 * PodRunner}, the Service played by {@link ServiceFront}, and a load profile that grows the fleet
 * and lets it shrink. Prints a timeline, draws it, prints the load report, checks the outcome and
 * stops everything. Runs inside a network namespace of its own (e2e/fleet/run.sh).
 */
public final class LocalFleet {

  static final String NAMESPACE = "demo";

  private LocalFleet() {}

  public static void main(String[] args) throws Exception {
    LocalFleetOptions options = LocalFleetOptions.parse(args);
    Files.createDirectories(options.out());
    int exit;
    try (Resources resources = new Resources()) {
      exit = run(options, resources) ? 0 : 1;
    }
    System.out.println("local-fleet: everything stopped");
    System.exit(exit);
  }

  private static boolean run(LocalFleetOptions options, Resources r) throws Exception {
    Path root = ControlPlane.repoRoot();
    Path out = options.out();
    step("control plane");
    ControlPlane controlPlane = r.add(ControlPlane.start());
    Files.writeString(out.resolve("kubeconfig"), Files.readString(controlPlane.kubeconfig()));
    KubernetesClient client = r.add(controlPlane.newClient());
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();

    step("redis");
    int redisPort = ChildProcess.freePort();
    r.add(
        ChildProcess.start(
            "redis",
            List.of(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                "" + redisPort,
                "--save",
                "",
                "--appendonly",
                "no"),
            Map.of(),
            out.resolve("redis.log")));

    step("operator");
    int operatorPort = ChildProcess.freePort();
    r.add(
        ChildProcess.start(
            "operator",
            List.of(
                "java",
                "-Dwsfleet.run=" + options.runTag(),
                "-Xmx256m",
                "-jar",
                root.resolve("operator/target/wsfleet-operator.jar").toString()),
            Map.of(
                "KUBECONFIG",
                out.resolve("kubeconfig").toString(),
                "WSFLEET_WATCH_NAMESPACES",
                NAMESPACE,
                "WSFLEET_HTTP_PORT",
                "" + operatorPort),
            out.resolve("operator.log")));

    step("pod runner and Service front");
    PodRunner pods =
        r.add(
            new PodRunner(
                client,
                NAMESPACE,
                root.resolve("ws-node/target/ws-node.jar"),
                out,
                options.runTag(),
                new AddressPool()));
    Vertx vertx = Vertx.vertx();
    r.add((AutoCloseable) () -> vertx.close().await(10, TimeUnit.SECONDS));

    step("fleet from " + options.fleetFile());
    @SuppressWarnings("unchecked")
    Map<String, Object> fleet =
        Serialization.unmarshal(
            Files.readString(root.resolve(options.fleetFile())), LinkedHashMap.class);
    FleetSettings.merge(
        fleet,
        FleetSettings.overrides(
            options.targetPerPod(), options.maxReplicas(), "127.0.0.1:" + redisPort));
    ControlPlane.CommandResult applied =
        controlPlane.kubectlWithInput(
            Serialization.asJson(fleet), "apply", "-n", NAMESPACE, "-f", "-");
    if (applied.exitCode() != 0) {
      throw new IllegalStateException("kubectl apply: " + applied.stderr());
    }
    String name = (String) ((Map<?, ?>) fleet.get("metadata")).get("name");
    ServiceFront front =
        r.add(ServiceFront.start(client, NAMESPACE, name, vertx, "127.0.0.1", options.frontPort()));
    waitFor(
        "2 ready endpoints behind the Service",
        Duration.ofSeconds(120),
        () -> front.endpoints().size() >= 2);
    System.out.printf(
        "local-fleet: up. Watch it from another shell:%n"
            + "  ip netns exec %s %s --kubeconfig %s get wsfleet -n %s -w%n"
            + "  clients connect to ws://127.0.0.1:%d/ws inside that namespace%n",
        options.netns(),
        controlPlane.kubectlPath(),
        out.resolve("kubeconfig"),
        NAMESPACE,
        front.port());

    FleetTimeline timeline = new FleetTimeline(client, NAMESPACE, name, System.out);
    LoadRun load = LoadRun.start(vertx, options, "127.0.0.1:" + front.port());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    r.onClose(sampler::shutdownNow);
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            timeline.sample(pods.connectionsByPod(), load.connectedClients(), load.lostSoFar());
          } catch (RuntimeException e) {
            System.out.println("local-fleet: sample failed: " + e);
          }
        },
        0,
        1,
        TimeUnit.SECONDS);

    step("load profile: " + options.profile());
    LoadRun.Outcome outcome = load.finish();
    step("waiting for the fleet to settle");
    boolean settled =
        eventually(
            Duration.ofSeconds(options.settleSeconds()),
            () -> {
              List<FleetTimeline.Sample> s = timeline.samples();
              if (s.isEmpty()) {
                return false;
              }
              FleetTimeline.Sample last = s.get(s.size() - 1);
              return last.draining() == 0
                  && !pods.anyStopping()
                  && last.desired() == last.ready()
                  && last.desired() <= options.expectedFinalMax();
            });
    sampler.shutdownNow();
    sampler.awaitTermination(5, TimeUnit.SECONDS);

    List<FleetTimeline.Sample> samples = timeline.samples();
    Files.writeString(
        out.resolve("timeline.txt"),
        String.join("\n", samples.stream().map(FleetTimeline::format).toList()) + "\n");
    Files.writeString(
        out.resolve("chart.svg"),
        TimelineChart.svg(samples, "wsfleet local fleet: connections per pod and ready pods"));
    System.out.println(outcome.reportText());
    Files.writeString(out.resolve("load-report.json"), outcome.reportJson());

    FleetVerdict verdict =
        FleetVerdict.judge(
            options, samples, timeline.eventCounts(), pods.departures(), outcome, settled);
    Files.writeString(out.resolve("summary.json"), verdict.json());
    System.out.println(verdict.text());
    System.out.printf(
        "local-fleet: timeline %s, chart %s, report %s, summary %s%n",
        out.resolve("timeline.txt"),
        out.resolve("chart.svg"),
        out.resolve("load-report.json"),
        out.resolve("summary.json"));
    return verdict.passed();
  }

  private static void step(String what) {
    System.out.println("local-fleet: " + what);
  }

  private static void waitFor(String what, Duration limit, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    if (!eventually(limit, done)) {
      throw new IllegalStateException("gave up waiting for " + what + " after " + limit);
    }
  }

  /** Polls until {@code done} holds or {@code limit} has passed; whether it held. */
  private static boolean eventually(Duration limit, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(250);
    }
    return true;
  }

  /** Everything started, closed in reverse order whatever happens. */
  static final class Resources implements AutoCloseable {
    private final List<AutoCloseable> all = new ArrayList<>();

    <T extends AutoCloseable> T add(T resource) {
      all.add(resource);
      return resource;
    }

    void onClose(Runnable action) {
      all.add(action::run);
    }

    @Override
    public void close() {
      for (int i = all.size() - 1; i >= 0; i--) {
        try {
          all.get(i).close();
        } catch (Exception e) {
          System.out.println("local-fleet: while stopping: " + e);
        }
      }
    }
  }
}
