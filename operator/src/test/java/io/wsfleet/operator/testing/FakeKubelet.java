package io.wsfleet.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import io.wsfleet.localcluster.KubeletEvents;
import io.wsfleet.localcluster.KubeletStatus;
import io.wsfleet.node.WsNode;
import io.wsfleet.node.config.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Plays the kubelet for one namespace: every pod that appears gets a real ws-node, started in this
 * JVM from the pod's own environment on a loopback address of its own (127.0.N.x), and the pod is
 * reported Running and Ready with that address; a deleted pod's server is stopped.
 */
public final class FakeKubelet implements AutoCloseable {

  /** A pod's server as this kubelet runs it. */
  public record Running(String pod, String ip, WsNode node, String deployment) {}

  /** Something the kubelet did, in order, for tests that assert sequences. */
  public record Happening(Instant at, String pod, String what) {}

  private static final AtomicInteger SUBNETS = new AtomicInteger(10);

  private final KubernetesClient client;
  private final String namespace;
  private final Vertx vertx;
  private final int subnet = SUBNETS.getAndIncrement();
  private final AtomicInteger hosts = new AtomicInteger(2);
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final List<Happening> history = new CopyOnWriteArrayList<>();
  private final List<SilentServer> silents = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<Pod> informer;
  private volatile boolean noRoom;
  // Vert.x 5 forbids awaiting a deployment on its own threads: the kubelet has one of its own.
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();

  public FakeKubelet(KubernetesClient client, String namespace, Vertx vertx) {
    this.client = client;
    this.namespace = namespace;
    this.vertx = vertx;
    this.informer =
        KubeletEvents.inform(
            client,
            namespace,
            pod -> start(pod, 20),
            pod -> stop(pod.getMetadata().getName(), "deleted"));
  }

  /** Starts the pod's server; its Secret may still be on its way, so failures are retried. */
  private void start(Pod pod, int attempts) {
    worker.execute(
        () -> {
          try {
            run(pod);
          } catch (Exception e) {
            if (attempts > 1) {
              worker.schedule(() -> start(pod, attempts - 1), 250, TimeUnit.MILLISECONDS);
            } else {
              history.add(new Happening(Instant.now(), pod.getMetadata().getName(), "failed:" + e));
            }
          }
        });
  }

  private void run(Pod pod) throws Exception {
    String name = pod.getMetadata().getName();
    if (running.containsKey(name) || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    if (noRoom) {
      leavePending(pod);
      return;
    }
    String image = pod.getSpec().getContainers().get(0).getImage();
    if (image.endsWith(UNPULLABLE)) {
      failPull(pod);
      return;
    }
    String ip = "127.0." + subnet + "." + hosts.getAndIncrement();
    Map<String, String> env = environment(pod);
    env.put("WSNODE_HOST", ip);
    WsNode node = new WsNode(NodeConfig.fromEnv(env), false);
    String deployment = vertx.deployVerticle(node).await(20, TimeUnit.SECONDS);
    running.put(name, new Running(name, ip, node, deployment));
    history.add(new Happening(Instant.now(), name, "started"));
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(p -> KubeletStatus.running(p, ip, true));
    } catch (KubernetesClientException e) {
      // Deleted before it got going.
      stop(name, "deleted");
      return;
    }
    if (image.endsWith(CRASHES_WHEN_READY)) {
      worker.schedule(() -> crashLoop(name), 1, TimeUnit.SECONDS);
    }
  }

  /** An image tag the kubelet cannot pull: its pods stay Pending in ImagePullBackOff. */
  public static final String UNPULLABLE = ":unpullable";

  /** An image tag whose server gets ready, then crashes a second later and keeps crashing. */
  public static final String CRASHES_WHEN_READY = ":crashes";

  private void failPull(Pod pod) {
    editStatus(
        pod.getMetadata().getName(),
        p -> {
          p.getStatus().setPhase("Pending");
          p.getStatus().setConditions(List.of(scheduled()));
          p.getStatus()
              .setContainerStatuses(
                  List.of(waiting(pod, "ImagePullBackOff", 0, "Back-off pulling image")));
          return p;
        });
    history.add(new Happening(Instant.now(), pod.getMetadata().getName(), "image-pull-failed"));
  }

  /**
   * Stops a pod's server and reports it as a container the kubelet keeps restarting: Running, not
   * Ready, CrashLoopBackOff, restarts counted.
   */
  public void crashLoop(String pod) {
    stop(pod, "crash-looping");
    editStatus(
        pod,
        p -> {
          String now = Instant.now().toString();
          p.getStatus()
              .setConditions(
                  List.of(
                      scheduled(),
                      new PodConditionBuilder()
                          .withType("Ready")
                          .withStatus("False")
                          .withReason("ContainersNotReady")
                          .withLastTransitionTime(now)
                          .build()));
          p.getStatus()
              .setContainerStatuses(
                  List.of(
                      waiting(p, "CrashLoopBackOff", 3, "back-off restarting failed container")));
          return p;
        });
  }

  private void editStatus(String pod, UnaryOperator<Pod> change) {
    try {
      client.pods().inNamespace(namespace).withName(pod).editStatus(change);
    } catch (KubernetesClientException e) {
      // Deleted meanwhile: nothing to report.
    }
  }

  private static PodCondition scheduled() {
    return new PodConditionBuilder()
        .withType("PodScheduled")
        .withStatus("True")
        .withLastTransitionTime(Instant.now().toString())
        .build();
  }

  private static ContainerStatus waiting(Pod pod, String reason, int restarts, String message) {
    return new ContainerStatusBuilder()
        .withName(pod.getSpec().getContainers().get(0).getName())
        .withImage(pod.getSpec().getContainers().get(0).getImage())
        .withReady(false)
        .withRestartCount(restarts)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  /**
   * While on, new pods are not run but left Pending and marked Unschedulable, as kube-scheduler
   * reports a pod that no node has room for; pods already running are untouched.
   */
  public void noRoomForNewPods(boolean on) {
    noRoom = on;
  }

  private void leavePending(Pod pod) {
    String name = pod.getMetadata().getName();
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              p.getStatus().setPhase("Pending");
              p.getStatus()
                  .setConditions(
                      List.of(
                          new PodConditionBuilder()
                              .withType("PodScheduled")
                              .withStatus("False")
                              .withReason("Unschedulable")
                              .withMessage("0/1 nodes are available: 1 Insufficient cpu.")
                              .withLastTransitionTime(Instant.now().toString())
                              .build()));
              return p;
            });
    history.add(new Happening(Instant.now(), name, "unschedulable"));
  }

  /** The container's env as the kubelet would resolve it, token file included. */
  private Map<String, String> environment(Pod pod) {
    Container container = pod.getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    String tokenFile = env.remove("WSNODE_ADMIN_TOKEN_FILE");
    if (tokenFile != null) {
      String secretName =
          pod.getSpec().getVolumes().stream()
              .filter(v -> v.getSecret() != null)
              .map(Volume::getSecret)
              .findFirst()
              .orElseThrow()
              .getSecretName();
      Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
      String key = tokenFile.substring(tokenFile.lastIndexOf('/') + 1);
      env.put(
          "WSNODE_ADMIN_TOKEN",
          new String(
              Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }
    return env;
  }

  private void stop(String pod, String why) {
    Running server = running.remove(pod);
    if (server != null) {
      vertx.undeploy(server.deployment());
      history.add(new Happening(Instant.now(), pod, "stopped:" + why));
    }
  }

  /**
   * Stops a pod's server and leaves the pod Running with a {@link SilentServer} on its admin port:
   * every scrape and drain call to it waits for its own timeout.
   */
  public SilentServer blackhole(String pod) throws IOException {
    Running server = running.get(pod);
    if (server == null) {
      throw new IllegalStateException(pod + " is not running");
    }
    Pod p = client.pods().inNamespace(namespace).withName(pod).get();
    int adminPort =
        Integer.parseInt(
            p.getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> "WSNODE_ADMIN_PORT".equals(e.getName()))
                .findFirst()
                .orElseThrow()
                .getValue());
    stop(pod, "blackholed");
    // Undeploying is asynchronous: bind once the server has let go of the port.
    SilentServer silent = null;
    for (int attempt = 1; silent == null; attempt++) {
      try {
        silent = SilentServer.listen(server.ip(), adminPort);
      } catch (java.net.BindException e) {
        if (attempt == 100) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
    silents.add(silent);
    return silent;
  }

  /** Stops a pod's server but leaves the pod Running: its metrics become unreachable. */
  public void crashQuietly(String pod) {
    stop(pod, "crashed");
  }

  public Map<String, Running> running() {
    return Map.copyOf(running);
  }

  public List<Happening> history() {
    return List.copyOf(history);
  }

  @Override
  public void close() {
    informer.close();
    worker.shutdownNow();
    new ArrayList<>(running.keySet()).forEach(p -> stop(p, "kubelet closed"));
    for (SilentServer silent : silents) {
      try {
        silent.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }
}
