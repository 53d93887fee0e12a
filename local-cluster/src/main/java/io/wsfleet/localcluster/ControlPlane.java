package io.wsfleet.localcluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver and etcd (through Fabric8's kube-api-test) plus kube-controller-manager
 * running the garbage-collector, endpointslice and disruption controllers (the last computes what a
 * PodDisruptionBudget allows, which the Eviction API enforces), all from the binaries that
 * e2e/control-plane/install-binaries.sh puts in place. There is no kubelet: pods never run unless a
 * test plays the kubelet.
 */
public final class ControlPlane implements AutoCloseable {

  /** The one node that exists; there is no kubelet behind it. */
  public static final String NODE_NAME = "local-node";

  private final Path repoRoot;
  private final Path binDir;
  private final KubeAPIServer apiServer;
  private final Path kubeconfig;
  private final Process controllerManager;
  private final Path controllerManagerLog;

  private ControlPlane(Path repoRoot) throws IOException {
    this.repoRoot = repoRoot;
    String version = pinnedVersion(repoRoot);
    Path testDir =
        Path.of(
            System.getenv().getOrDefault("KUBE_API_TEST_DIR", repoRoot + "/.cache/kube-api-test"));
    this.binDir = testDir.resolve("k8s").resolve(version + "-linux-amd64");
    if (!Files.isExecutable(binDir.resolve("kube-apiserver"))
        || !Files.isExecutable(binDir.resolve("kube-controller-manager"))) {
      throw new IllegalStateException(
          "No control-plane binaries in "
              + binDir
              + ": run `bash e2e/control-plane/install-binaries.sh` first (README: Tests)");
    }
    this.apiServer =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir.toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                // As OpenShift does by default: an owner reference with blockOwnerDeletion needs
                // the update verb on the owner's finalizers, which an RBAC test must see.
                .withApiServerFlag(
                    "--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
                .build());
    apiServer.start();
    try {
      this.kubeconfig = Files.createTempFile("wsfleet-kubeconfig", ".yaml");
      Files.writeString(kubeconfig, apiServer.getKubeConfigYaml());
      registerNode();
      // The garbage collector rediscovers resource types only every 30 s: install the CRDs first
      // so that owner references to fleets are collected from the start.
      Command.Result crds = kubectl("apply", "-f", "crds/");
      if (crds.exitCode() != 0) {
        throw new IllegalStateException("cannot apply crds/: " + crds.stderr());
      }
      this.controllerManagerLog = Files.createTempFile("kube-controller-manager", ".log");
      this.controllerManager =
          new ProcessBuilder(
                  binDir.resolve("kube-controller-manager").toString(),
                  "--kubeconfig=" + kubeconfig,
                  "--controllers=garbage-collector-controller,endpointslice-controller,"
                      + "disruption-controller",
                  "--leader-elect=false",
                  "--secure-port=0",
                  "--use-service-account-credentials=false")
              .redirectErrorStream(true)
              .redirectOutput(controllerManagerLog.toFile())
              .start();
    } catch (IOException | RuntimeException e) {
      apiServer.stop(); // its etcd too: a failed start leaves no process behind
      throw e;
    }
  }

  /**
   * The endpointslice controller skips pods on unknown nodes; pods that tests (playing the kubelet)
   * run are bound to this node.
   */
  private void registerNode() {
    try (KubernetesClient client = newClient()) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(NODE_NAME)
                  .addToLabels("kubernetes.io/hostname", NODE_NAME)
                  .endMetadata()
                  .build())
          .create();
    }
  }

  /** Starts a control plane for the repository that holds the current Maven module. */
  public static ControlPlane start() {
    try {
      return new ControlPlane(repoRoot());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root, from Maven's property or by walking up to the parent POM. */
  public static Path repoRoot() {
    String fromMaven = System.getProperty("wsfleet.repoRoot");
    if (fromMaven != null && !fromMaven.isBlank()) {
      return Path.of(fromMaven).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("e2e/control-plane/versions.env"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root from " + Path.of(""));
    }
    return dir;
  }

  private static String pinnedVersion(Path repoRoot) throws IOException {
    Properties versions = new Properties();
    try (InputStream in =
        Files.newInputStream(repoRoot.resolve("e2e/control-plane/versions.env"))) {
      versions.load(in);
    }
    return versions.getProperty("K8S_VERSION").trim();
  }

  public Path repositoryRoot() {
    return repoRoot;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A client with cluster-admin rights (the kube-api-test client certificate). */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml()))
        .build();
  }

  /** The pinned kubectl built next to the control plane (a fresh machine may have no other). */
  private Path kubectlPath() {
    return binDir.resolve("kubectl");
  }

  /** The pinned kubectl with this control plane's admin kubeconfig, run from the repository. */
  public Kubectl kubectl() {
    return new Kubectl(kubectlPath(), kubeconfig, repoRoot);
  }

  /** Runs the pinned kubectl against this control plane and waits for it. */
  public Command.Result kubectl(String... args) {
    return kubectl().run(args);
  }

  /** Runs kubectl with {@code input} on its standard input (for {@code apply -f -}). */
  public Command.Result kubectlWithInput(String input, String... args) {
    return kubectl().runWithInput(input, args);
  }

  /** The controller manager's output so far, for failure messages. */
  public String controllerManagerLog() {
    try {
      return Files.readString(controllerManagerLog);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    controllerManager.destroy();
    if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
      controllerManager.destroyForcibly().waitFor();
    }
    apiServer.stop();
    Files.deleteIfExists(kubeconfig);
    Files.deleteIfExists(controllerManagerLog);
  }
}
