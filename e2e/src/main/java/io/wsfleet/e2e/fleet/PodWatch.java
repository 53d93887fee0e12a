package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a fleet's pods on a real cluster as an observer: how many clients each server holds, and
 * for every pod that leaves how many it still held when it was deleted and how its server exited.
 */
final class PodWatch implements AutoCloseable {

  static final String FLEET_LABEL = "wsfleet.io/fleet";
  static final String STATE_LABEL = "wsfleet.io/state";
  static final String SERVING = "serving";
  static final String DRAINING = "draining";

  /** A pod that was deleted; exit code -1 when its container's end was never seen. */
  record Departure(Instant at, String pod, long connectionsAtDeletion, int exitCode) {}

  private final KubernetesClient client;
  private final String namespace;
  private final NodeAdmin admin = new NodeAdmin();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Map<String, Long> lastDrainReading = new ConcurrentHashMap<>();
  private final Map<String, Long> atDeletion = new ConcurrentHashMap<>();
  private final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
  private final Map<String, List<String>> tokens = new ConcurrentHashMap<>();
  private final Map<String, Long> tokensReadAt = new ConcurrentHashMap<>();
  private final List<Departure> departures = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
  private final SharedIndexInformer<Pod> informer;

  PodWatch(KubernetesClient client, String namespace, String fleet) {
    this.client = client;
    this.namespace = namespace;
    this.informer =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(FLEET_LABEL, fleet)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    seen(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    seen(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    seen(pod);
                    gone(pod);
                  }
                });
    poller.scheduleWithFixedDelay(this::pollDraining, 100, 100, TimeUnit.MILLISECONDS);
  }

  private void seen(Pod pod) {
    String name = pod.getMetadata().getName();
    pods.put(name, pod);
    exitCode(pod).ifPresent(code -> exitCodes.put(name, code));
    if (pod.getMetadata().getDeletionTimestamp() != null
        && atDeletion.putIfAbsent(name, -1L) == null) {
      poller.execute(() -> atDeletion.put(name, readingAtDeletion(pod)));
    }
  }

  /**
   * Asked right after the deletion, before SIGTERM can have closed many; when the server no longer
   * answers, the last reading of its drain stands in (its count only fell since).
   */
  private long readingAtDeletion(Pod pod) {
    long now = connections(pod);
    return now >= 0 ? now : lastDrainReading.getOrDefault(pod.getMetadata().getName(), -1L);
  }

  private void gone(Pod pod) {
    String name = pod.getMetadata().getName();
    pods.remove(name);
    // The reading at deletion runs on the poller: let it land before the departure is written.
    poller.execute(() -> departed(name));
  }

  private void departed(String name) {
    departures.add(
        new Departure(
            Instant.now(),
            name,
            atDeletion.getOrDefault(name, -1L),
            exitCodes.getOrDefault(name, -1)));
  }

  private void pollDraining() {
    for (Pod pod : pods.values()) {
      if (DRAINING.equals(pod.getMetadata().getLabels().get(STATE_LABEL))
          && pod.getMetadata().getDeletionTimestamp() == null) {
        long now = connections(pod);
        if (now >= 0) {
          lastDrainReading.put(pod.getMetadata().getName(), now);
        }
      }
    }
  }

  private static Optional<Integer> exitCode(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null)
        .map(s -> s.getTerminated().getExitCode())
        .findFirst();
  }

  /** What the pod's server says it holds, or -1 when it cannot be asked. */
  private long connections(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      return -1;
    }
    return admin.connections(ip, adminPort(pod), tokens(pod));
  }

  private static int adminPort(Pod pod) {
    return pod.getSpec().getContainers().get(0).getPorts().stream()
        .filter(p -> "admin".equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElse(9090);
  }

  /**
   * The admin tokens the pod may hold, from the Secret it mounts: its token, its previous token,
   * then any seen before, re-read at most every 5 s so a rotation mid-run is followed.
   */
  private List<String> tokens(Pod pod) {
    String secret =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .orElseThrow()
            .getSecret()
            .getSecretName();
    long now = System.nanoTime();
    Long readAt = tokensReadAt.get(secret);
    if (readAt == null || now - readAt > TimeUnit.SECONDS.toNanos(5)) {
      tokensReadAt.put(secret, now);
      Secret read = client.secrets().inNamespace(namespace).withName(secret).get();
      if (read != null && read.getData() != null) {
        Set<String> known = new LinkedHashSet<>();
        for (String key : List.of("token", "previous-token")) {
          String b64 = read.getData().get(key);
          if (b64 != null) {
            known.add(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
          }
        }
        known.addAll(tokens.getOrDefault(secret, List.of()));
        tokens.put(secret, List.copyOf(known));
      }
    }
    return tokens.getOrDefault(secret, List.of());
  }

  /** Connections each pod that runs and is not being deleted holds now (-1: unknown). */
  Map<String, Long> connectionsByPod() {
    Map<String, Long> result = new TreeMap<>();
    for (Pod pod : pods.values()) {
      if (pod.getMetadata().getDeletionTimestamp() == null
          && pod.getStatus() != null
          && pod.getStatus().getPodIP() != null) {
        result.put(pod.getMetadata().getName(), connections(pod));
      }
    }
    return result;
  }

  /** Serving pods whose Ready condition is true. */
  long readyServing() {
    return pods.values().stream()
        .filter(p -> SERVING.equals(p.getMetadata().getLabels().get(STATE_LABEL)))
        .filter(
            p ->
                p.getStatus() != null
                    && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .count();
  }

  /** The fleet's pods as last seen. */
  List<Pod> pods() {
    return List.copyOf(pods.values());
  }

  List<Departure> departures() {
    return List.copyOf(departures);
  }

  /** Whether a deleted pod is still within its grace period. */
  boolean anyStopping() {
    return pods.values().stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null);
  }

  @Override
  public void close() {
    poller.shutdownNow();
    informer.close();
  }
}
