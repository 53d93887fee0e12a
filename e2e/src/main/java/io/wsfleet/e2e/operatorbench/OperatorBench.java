package io.wsfleet.e2e.operatorbench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.wsfleet.e2e.cli.Args;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator benchmark's coordinator (e2e/bench/operator.sh): per scenario a fresh control plane,
 * the node and kubelet stand-ins in this JVM, the operator jar as its own process, then four phases
 * (setup, steady, grow, shrink), each printed with its figures. Exits 3 when the setup breaks (a
 * wait runs out, the operator dies); a missed target is only printed.
 */
public final class OperatorBench {

  private static final String NAMESPACE = "wsfleet-bench";
  private static final String SERVICE_ACCOUNT =
      "system:serviceaccount:wsfleet-system:wsfleet-operator";
  private static final List<String> SERVICE_ACCOUNT_GROUPS =
      List.of(
          "system:serviceaccounts",
          "system:serviceaccounts:wsfleet-system",
          "system:authenticated");
  // The API server's default FlowSchema for service accounts outside kube-system.
  private static final String OPERATOR_FLOW_SCHEMA = "service-accounts";

  private final Map<String, String> args;
  private final Path outDir;
  private final Path pidFile;
  private final long startNanos = System.nanoTime();

  private OperatorBench(Map<String, String> args) {
    this.args = args;
    this.outDir = Path.of(Args.required(args, "out-dir"));
    this.pidFile = Path.of(Args.required(args, "pid-file"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Args.parse(argv);
    OperatorBench bench = new OperatorBench(args);
    int status = 0;
    for (String name : Args.list(args, "scenarios")) {
      try {
        bench.run(
            BenchScenario.named(
                name,
                optional(args, "fleets"),
                optional(args, "pods-per-fleet"),
                Args.integer(args, "interval-seconds", 5)));
      } catch (SetupBroke e) {
        System.out.println(name + " setup_broke: " + e.getMessage());
        status = 3;
      }
    }
    System.exit(status);
  }

  private static Integer optional(Map<String, String> args, String name) {
    String value = args.get(name);
    return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
  }

  /** The setup itself failed: not a figure, a broken run. */
  static final class SetupBroke extends Exception {
    SetupBroke(String message) {
      super(message);
    }
  }

  private void run(BenchScenario scenario) throws Exception {
    String n = scenario.name();
    say(
        n
            + " shape: fleets="
            + scenario.fleets()
            + " pods_per_fleet="
            + scenario.podsPerFleet()
            + " grown_pods_per_fleet="
            + scenario.grownPodsPerFleet()
            + " target_per_pod="
            + BenchScenario.TARGET_PER_POD
            + " scrape_interval_s="
            + scenario.intervalSeconds()
            + " load="
            + loadAverage());
    long scenarioStart = System.nanoTime();
    long t = scenarioStart;
    Vertx vertx = Vertx.vertx();
    try (ControlPlane controlPlane = ControlPlane.start();
        KubernetesClient admin = controlPlane.newClient()) {
      recordChildren();
      say(n + " control_plane_up_s: " + seconds(t));
      installOperatorRbac(controlPlane);
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      try (NodeStandIn standIn = NodeStandIn.start(vertx);
          LightKubelet kubelet = new LightKubelet(admin, NAMESPACE, standIn)) {
        standIn.setClientsPerFleet(clients(scenario.podsPerFleet()));
        t = System.nanoTime();
        try (OperatorProcess operator = startOperator(controlPlane, n)) {
          appendPid(operator.pid(), "wsfleet-operator.jar");
          Settling.awaitOrBreak("the operator's /readyz", 120, operator, operator::ready);
          say(n + " operator_ready_s: " + seconds(t) + " pid=" + operator.pid());
          try (HeapSampler heap = new HeapSampler(operator)) {
            phases(scenario, admin, standIn, kubelet, operator, heap);
          }
        }
        say(
            n
                + " stand_in: scrapes="
                + standIn.scrapes()
                + " drains="
                + standIn.drains()
                + " partial_drains="
                + standIn.partialDrains()
                + " unauthorized="
                + standIn.unauthorized()
                + " unknown_address="
                + standIn.unknownAddress()
                + " kubelet_failures="
                + kubelet.failures());
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // Everything recorded has stopped: the script must not kill a reused pid later.
      Files.writeString(pidFile, "");
    }
    say(n + " total_s: " + seconds(scenarioStart));
  }

  private void phases(
      BenchScenario scenario,
      KubernetesClient admin,
      NodeStandIn standIn,
      LightKubelet kubelet,
      OperatorProcess operator,
      HeapSampler heap)
      throws Exception {
    String n = scenario.name();
    int converge = Args.integer(args, "converge-timeout-seconds", 600);
    List<PhaseFigures> figures = new ArrayList<>();

    Snapshot start = begin(operator, admin, heap);
    for (int i = 0; i < scenario.fleets(); i++) {
      admin
          .resource(scenario.manifest(i, NAMESPACE, standIn.port()))
          .inNamespace(NAMESPACE)
          .create();
    }
    Settling.awaitOrBreak(
        "every fleet at " + scenario.podsPerFleet() + " pods",
        converge,
        operator,
        () -> Settling.settled(kubelet, scenario, scenario.podsPerFleet()));
    figures.add(end("setup", start, operator, admin, standIn, scenario, heap));

    start = begin(operator, admin, heap);
    TimeUnit.SECONDS.sleep(Args.integer(args, "steady-seconds", 60)); // a timed window
    PhaseFigures steady = end("steady", start, operator, admin, standIn, scenario, heap);
    figures.add(steady);
    say(
        n
            + " steady operator_heap_live_after_full_gc_mib: "
            + String.format(
                Locale.ROOT, "%.0f", HeapProbe.liveAfterGc(operator.pid()) / 1048576.0));

    start = begin(operator, admin, heap);
    standIn.setClientsPerFleet(clients(scenario.grownPodsPerFleet()));
    Settling.awaitOrBreak(
        "every fleet at " + scenario.grownPodsPerFleet() + " pods",
        converge,
        operator,
        () -> Settling.settled(kubelet, scenario, scenario.grownPodsPerFleet()));
    figures.add(end("grow", start, operator, admin, standIn, scenario, heap));

    start = begin(operator, admin, heap);
    standIn.setClientsPerFleet(clients(scenario.podsPerFleet()));
    Settling.awaitOrBreak(
        "every fleet back at " + scenario.podsPerFleet() + " pods",
        converge,
        operator,
        () -> Settling.settled(kubelet, scenario, scenario.podsPerFleet()));
    figures.add(end("shrink", start, operator, admin, standIn, scenario, heap));

    for (PhaseFigures phase : figures) {
      if (!phase.phase().equals("setup")) {
        phase.targets(n).forEach(OperatorBench::say);
      }
    }
  }

  private static long clients(int pods) {
    return (long) pods * BenchScenario.TARGET_PER_POD;
  }

  private static Snapshot begin(OperatorProcess operator, KubernetesClient admin, HeapSampler heap)
      throws IOException, InterruptedException {
    heap.reset();
    return Snapshot.take(operator, admin);
  }

  private PhaseFigures end(
      String phase,
      Snapshot start,
      OperatorProcess operator,
      KubernetesClient admin,
      NodeStandIn standIn,
      BenchScenario scenario,
      HeapSampler heap)
      throws IOException, InterruptedException {
    Snapshot end = Snapshot.take(operator, admin);
    ScrapeStats scrapes =
        ScrapeStats.of(
            standIn.everRegistered(), start.nanos(), end.nanos(), scenario.intervalSeconds());
    PhaseFigures figures =
        PhaseFigures.of(
            phase,
            start,
            end,
            scrapes,
            scenario.intervalSeconds(),
            OPERATOR_FLOW_SCHEMA,
            heap.reset());
    figures.lines(scenario.name()).forEach(OperatorBench::say);
    say(scenario.name() + " " + phase + " load: " + loadAverage());
    return figures;
  }

  private OperatorProcess startOperator(ControlPlane controlPlane, String scenario)
      throws IOException {
    List<String> flags =
        Arrays.stream(Args.required(args, "operator-jvm-flags").trim().split("\\s+")).toList();
    return OperatorProcess.start(
        Path.of(Args.required(args, "operator-jar")),
        flags,
        controlPlane.kubeconfig(),
        NAMESPACE,
        SERVICE_ACCOUNT,
        SERVICE_ACCOUNT_GROUPS,
        outDir.resolve("operator-" + scenario + ".log"));
  }

  /** The operator runs as its ServiceAccount with the manifests' RBAC, as the Deployment does. */
  private static void installOperatorRbac(ControlPlane controlPlane) throws SetupBroke {
    for (String file :
        List.of(
            "00-namespace.yaml",
            "01-serviceaccount.yaml",
            "02-clusterrole.yaml",
            "03-clusterrolebinding.yaml")) {
      Command.Result applied = controlPlane.kubectl("apply", "-f", "manifests/operator/" + file);
      if (applied.exitCode() != 0) {
        throw new SetupBroke("kubectl apply " + file + ": " + applied.stderr());
      }
    }
  }

  /** Writes this JVM's child processes (etcd, kube-apiserver, ...) for the script's cleanup. */
  private void recordChildren() throws IOException {
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      appendPid(child.pid(), child.info().command().orElse("?"));
    }
  }

  private void appendPid(long pid, String name) throws IOException {
    Files.writeString(
        pidFile, pid + " " + name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private String seconds(long since) {
    return String.format(
        Locale.ROOT,
        "%.1f (at %.0f s)",
        (System.nanoTime() - since) / 1e9,
        (System.nanoTime() - startNanos) / 1e9);
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
