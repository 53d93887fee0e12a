package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.localcluster.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Test and demo scaffolding: the fleet scenario on a cluster where wsfleet is installed as README
 * says (e2e/fleet/install.sh). Applies the sample fleet with laptop-sized numbers, drives a load
 * profile through the fleet's real Service that grows the fleet and lets it shrink, deletes the
 * leader operator pod in the middle of a scale-down drain, deletes the fleet's admin-token Secret
 * once it has grown (a token rotation), prints a timeline, draws it, prints the load report and
 * checks the outcome. Runs where the Service's cluster IP and the pod IPs are reachable (inside the
 * local cluster's network namespace: e2e/fleet/run.sh).
 */
public final class FleetScenario {

  static final String NAMESPACE = "demo";

  private FleetScenario() {}

  public static void main(String[] args) throws Exception {
    ScenarioOptions options = ScenarioOptions.parse(args);
    Files.createDirectories(options.out());
    int exit;
    try (Resources resources = new Resources()) {
      exit = run(options, resources) ? 0 : 1;
    }
    System.out.println("local-fleet: scenario done");
    System.exit(exit);
  }

  private static boolean run(ScenarioOptions options, Resources r) throws Exception {
    Path root = ControlPlane.repoRoot();
    Path out = options.out();
    KubernetesClient client =
        r.add(
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(options.kubeconfig())))
                .build());
    Kubectl kubectl = new Kubectl(options.kubectl(), options.kubeconfig(), root);
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }

    step("fleet from " + options.fleetFile());
    @SuppressWarnings("unchecked")
    Map<String, Object> fleet =
        Serialization.unmarshal(
            Files.readString(root.resolve(options.fleetFile())), LinkedHashMap.class);
    FleetSettings.merge(
        fleet, FleetSettings.overrides(options.targetPerPod(), options.maxReplicas()));
    Command.Result applied =
        kubectl.runWithInput(Serialization.asJson(fleet), "apply", "-n", NAMESPACE, "-f", "-");
    if (applied.exitCode() != 0) {
      throw new IllegalStateException("kubectl apply: " + applied.stderr());
    }
    System.out.print(applied.stdout());
    String name = (String) ((Map<?, ?>) fleet.get("metadata")).get("name");
    PodWatch pods = r.add(new PodWatch(client, NAMESPACE, name));
    FleetTimeline timeline = new FleetTimeline(client, NAMESPACE, name, System.out);
    waitFor(
        FleetSettings.MIN_REPLICAS + " ready pods",
        Duration.ofSeconds(180),
        () -> pods.readyServing() >= FleetSettings.MIN_REPLICAS);
    Service service = client.services().inNamespace(NAMESPACE).withName(name).get();
    String target =
        service.getSpec().getClusterIP() + ":" + service.getSpec().getPorts().get(0).getPort();
    System.out.printf(
        "local-fleet: up; clients connect to ws://%s/ws (Service %s/%s). Watch it with:%n"
            + "  %s --kubeconfig %s get wsfleet -n %s -w%n",
        target, NAMESPACE, name, options.kubectl(), options.kubeconfig(), NAMESPACE);

    Vertx vertx = Vertx.vertx();
    r.add((AutoCloseable) () -> vertx.close().await(10, TimeUnit.SECONDS));
    LoadRun load = LoadRun.start(vertx, options, target);
    LeaderHandOver handOver = new LeaderHandOver(client);
    TokenRotation rotation = new TokenRotation(client, NAMESPACE, name);
    ScheduledExecutorService sampler = Executors.newScheduledThreadPool(3);
    r.onClose(sampler::shutdownNow);
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            timeline.sample(pods.connectionsByPod(), load.connectedClients(), load.lostSoFar());
            // Once the fleet has grown: pods started with the old token serve, new ones follow,
            // and the scale-down drains come after it.
            if (options.rotateToken()
                && pods.readyServing() >= FleetSettings.MIN_REPLICAS + 2
                && rotation.claim()) {
              sampler.execute(() -> rotation.run(Duration.ofSeconds(60)));
            }
            Optional<Pod> draining = LeaderHandOver.scaleDownDrain(pods.pods());
            if (options.handOver() && draining.isPresent() && handOver.claim()) {
              String pod = draining.get().getMetadata().getName();
              sampler.execute(
                  () ->
                      handOver.run(
                          pod,
                          Duration.ofSeconds(60),
                          () -> LeaderHandOver.drainsStill(pod, pods.pods())));
            }
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
              FleetTimeline.Sample last = s.get(s.size() - 1);
              return last.draining() == 0
                  && !pods.anyStopping()
                  && last.desired() == last.ready()
                  && last.desired() <= options.expectedFinalMax()
                  && (!options.handOver() || handOver.done())
                  && (!options.rotateToken() || rotation.done());
            });
    sampler.shutdownNow();
    sampler.awaitTermination(5, TimeUnit.SECONDS);

    List<FleetTimeline.Sample> samples = timeline.samples();
    Files.writeString(
        out.resolve("timeline.txt"),
        String.join("\n", samples.stream().map(FleetTimeline::format).toList()) + "\n");
    Files.writeString(
        out.resolve("chart.svg"),
        TimelineChart.svg(samples, "wsfleet fleet: connections per pod and ready pods"));
    System.out.println(outcome.reportText());
    Files.writeString(out.resolve("load-report.json"), outcome.reportJson());

    FleetVerdict.Checks checks = clusterChecks(client, options, name, pods, handOver, rotation);
    FleetVerdict verdict =
        FleetVerdict.judge(
            options, samples, timeline.eventCounts(), pods.departures(), outcome, settled, checks);
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

  /** What the cluster itself shows once the fleet settled: hand-over, pods, EndpointSlices. */
  private static FleetVerdict.Checks clusterChecks(
      KubernetesClient client,
      ScenarioOptions options,
      String fleet,
      PodWatch pods,
      LeaderHandOver handOver,
      TokenRotation rotation) {
    Map<String, Object> figures = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    List<Event> events =
        client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
            .filter(e -> fleet.equals(e.getInvolvedObject().getName()))
            .toList();
    figures.put("drainSeconds", FleetVerdict.drainSeconds(events));
    if (options.handOver()) {
      figures.put("leaderHandOver", handOver.judge(events, pods.departures(), failures));
    }
    if (options.rotateToken()) {
      figures.put("tokenRotation", rotation.judge(events, failures));
    }
    PodFacts facts = new PodFacts(ControlPlane.repoRoot(), options.ctr(), options.nodeExec());
    List<Map<String, Object>> podFacts = new ArrayList<>();
    for (Pod pod : pods.pods()) {
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        podFacts.add(facts.of(pod));
      }
    }
    figures.put("podFacts", podFacts);
    failures.addAll(FleetVerdict.podFactFailures(podFacts));
    List<String> ports =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(NAMESPACE)
            .withLabel("kubernetes.io/service-name", fleet)
            .list()
            .getItems()
            .stream()
            .flatMap(slice -> slice.getPorts().stream())
            .map(port -> port.getName() + ":" + port.getPort())
            .distinct()
            .toList();
    figures.put("endpointSlicePorts", ports);
    if (ports.size() != 1 || !ports.get(0).startsWith("ws:")) {
      failures.add("the Service's EndpointSlices should list only the ws port, got " + ports);
    }
    return new FleetVerdict.Checks(figures, failures);
  }

  private static void step(String what) {
    System.out.println("local-fleet: " + what);
  }

  private static void waitFor(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    if (!eventually(limit, done)) {
      throw new IllegalStateException("gave up waiting for " + what + " after " + limit);
    }
  }

  /** Polls until {@code done} holds or {@code limit} has passed; whether it held. */
  private static boolean eventually(Duration limit, BooleanSupplier done)
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
