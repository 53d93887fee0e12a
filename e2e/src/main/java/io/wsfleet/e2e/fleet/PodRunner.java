package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.localcluster.KubeletEvents;
import io.wsfleet.localcluster.KubeletStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Test and demo scaffolding that plays the kubelet for one namespace: each pod gets a real ws-node
 * process on an address of its own (added to this network namespace's loopback device), is bound to
 * the local node and reported Running, with Ready following the server's readiness endpoint. A
 * deleted pod's server gets SIGTERM and its grace period, as on a real node.
 */
public final class PodRunner implements AutoCloseable {

  /** A pod's server process. */
  public record Server(String pod, String ip, int adminPort, String token, Process process) {}

  /** A pod that left, with the connections its server still held when it was told to stop. */
  public record Departure(Instant at, String pod, long connectionsAtDeletion, int exitCode) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Path wsNodeJar;
  private final Path workDir;
  private final String runTag;
  private final AddressPool addresses;
  private final NodeAdmin admin = new NodeAdmin();
  private final Map<String, Server> servers = new ConcurrentHashMap<>();
  // Told to stop, grace period not over yet: not serving, not yet a departure.
  private final Map<String, Server> stopping = new ConcurrentHashMap<>();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
  private final List<Departure> departures = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService worker = Executors.newScheduledThreadPool(2);
  // Terminations wait out grace periods: they get threads of their own.
  private final ExecutorService terminations = Executors.newCachedThreadPool();
  private final SharedIndexInformer<Pod> informer;

  public PodRunner(
      KubernetesClient client,
      String namespace,
      Path wsNodeJar,
      Path workDir,
      String runTag,
      AddressPool addresses) {
    this.client = client;
    this.namespace = namespace;
    this.wsNodeJar = wsNodeJar;
    this.workDir = workDir;
    this.runTag = runTag;
    this.addresses = addresses;
    this.informer =
        KubeletEvents.inform(
            client,
            namespace,
            pod -> worker.execute(() -> start(pod, 20)),
            pod -> terminations.execute(() -> terminate(pod)));
    worker.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
  }

  private void start(Pod pod, int attempts) {
    String name = pod.getMetadata().getName();
    if (servers.containsKey(name) || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    try {
      bind(name);
      Server server = launch(pod);
      servers.put(name, server);
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(p -> KubeletStatus.running(p, server.ip(), false));
    } catch (Exception e) {
      if (attempts > 1) {
        worker.schedule(() -> start(pod, attempts - 1), 500, TimeUnit.MILLISECONDS);
      } else {
        System.err.println("pod-runner: cannot start " + name + ": " + e);
      }
    }
  }

  /** Binds the pod to the local node, as the scheduler would; a retry finds it bound already. */
  private void bind(String name) {
    try {
      client
          .bindings()
          .inNamespace(namespace)
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewTarget()
                  .withKind("Node")
                  .withName(ControlPlane.NODE_NAME)
                  .endTarget()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private Server launch(Pod pod) throws IOException {
    String name = pod.getMetadata().getName();
    String ip = addresses.take();
    try {
      return launch(pod, name, ip);
    } catch (IOException | RuntimeException e) {
      addresses.release(ip);
      throw e;
    }
  }

  private Server launch(Pod pod, String name, String ip) throws IOException {
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar var : pod.getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    String token = token(pod);
    Path tokens = Files.createDirectories(workDir.resolve("tokens"));
    Path tokenFile = tokens.resolve(name);
    Files.writeString(tokenFile, token);
    env.put("WSNODE_ADMIN_TOKEN_FILE", tokenFile.toString());
    env.put("WSNODE_HOST", ip);
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "-Dwsfleet.run=" + runTag,
                "-Xms32m",
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss256k",
                "-jar",
                wsNodeJar.toString())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("pod-" + name + ".log").toFile());
    builder.environment().putAll(env);
    int adminPort = Integer.parseInt(env.getOrDefault("WSNODE_ADMIN_PORT", "9090"));
    return new Server(name, ip, adminPort, token, builder.start());
  }

  /** The admin token, read from the Secret the pod mounts, as the kubelet would. */
  private String token(Pod pod) {
    String secretName =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .orElseThrow()
            .getSecret()
            .getSecretName();
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    return new String(
        Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  /** Readiness probes: Ready follows each server's /health/ready. */
  private void probe() {
    for (Server server : servers.values()) {
      boolean now = admin.ready(server.ip(), server.adminPort());
      Boolean before = ready.put(server.pod(), now);
      if (before == null || before != now) {
        try {
          client
              .pods()
              .inNamespace(namespace)
              .withName(server.pod())
              .editStatus(p -> KubeletStatus.running(p, server.ip(), now));
        } catch (KubernetesClientException e) {
          ready.remove(server.pod());
        }
      }
    }
  }

  private void terminate(Pod pod) {
    String name = pod.getMetadata().getName();
    Server server = servers.remove(name);
    if (server == null) {
      return;
    }
    stopping.put(name, server);
    ready.remove(name);
    long connections = admin.connections(server.ip(), server.adminPort(), server.token());
    server.process().destroy();
    long grace =
        pod.getSpec().getTerminationGracePeriodSeconds() == null
            ? 30
            : pod.getSpec().getTerminationGracePeriodSeconds();
    int exit;
    try {
      if (!server.process().waitFor(grace, TimeUnit.SECONDS)) {
        server.process().destroyForcibly().waitFor();
      }
      exit = server.process().exitValue();
    } catch (InterruptedException e) {
      server.process().destroyForcibly(); // shutting down: no process outlives the runner
      Thread.currentThread().interrupt();
      exit = -1;
    }
    departures.add(new Departure(Instant.now(), name, connections, exit));
    stopping.remove(name);
    addresses.release(server.ip());
    try {
      client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      // Already gone.
    }
  }

  /** Connections each running pod's server holds now. */
  public Map<String, Long> connectionsByPod() {
    Map<String, Long> result = new java.util.TreeMap<>();
    for (Server server : servers.values()) {
      result.put(server.pod(), admin.connections(server.ip(), server.adminPort(), server.token()));
    }
    return result;
  }

  public List<Departure> departures() {
    return List.copyOf(departures);
  }

  public int running() {
    return servers.size();
  }

  /** Whether a deleted pod's server is still within its grace period. */
  public boolean anyStopping() {
    return !stopping.isEmpty();
  }

  @Override
  public void close() {
    informer.close();
    worker.shutdownNow();
    terminations.shutdownNow();
    List<Server> all = new java.util.ArrayList<>(servers.values());
    all.addAll(stopping.values());
    for (Server server : all) {
      server.process().destroyForcibly();
    }
    for (Server server : all) {
      try {
        server.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      addresses.release(server.ip());
    }
    servers.clear();
    stopping.clear();
  }
}
