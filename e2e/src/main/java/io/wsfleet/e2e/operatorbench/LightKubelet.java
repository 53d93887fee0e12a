package io.wsfleet.e2e.operatorbench;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.localcluster.KubeletEvents;
import io.wsfleet.localcluster.KubeletStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the scheduler and the kubelet, lighter than the operator tests' FakeKubelet: every
 * pod that appears in the namespace is bound to the control plane's one node, gets a loopback
 * address of its own (127.77.x.y), is registered with the {@link NodeStandIn} under its fleet and
 * admin token, and is reported Running and Ready at that address. A pod marked for deletion is
 * unregistered and then deleted for good, as a kubelet does once its container has stopped. No
 * process or server is started per pod.
 */
final class LightKubelet implements AutoCloseable {

  private static final String FLEET_LABEL = "wsfleet.io/fleet";

  private final KubernetesClient client;
  private final String namespace;
  private final NodeStandIn standIn;
  private final SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(4);
  private final Map<String, String> ipByPod = new ConcurrentHashMap<>();
  private final Map<String, String> tokenBySecret = new ConcurrentHashMap<>();
  private final AtomicInteger hosts = new AtomicInteger();
  private final AtomicLong failures = new AtomicLong();

  LightKubelet(KubernetesClient client, String namespace, NodeStandIn standIn) {
    this.client = client;
    this.namespace = namespace;
    this.standIn = standIn;
    this.informer =
        KubeletEvents.inform(
            client, namespace, pod -> workers.execute(() -> run(pod, 20)), this::going);
  }

  /** Pods of the namespace as the informer last saw them. */
  List<Pod> pods() {
    return informer.getStore().list();
  }

  long failures() {
    return failures.get();
  }

  private void run(Pod pod, int attempts) {
    String name = pod.getMetadata().getName();
    if (ipByPod.containsKey(name) || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    try {
      String token = token(pod);
      int n = hosts.getAndIncrement();
      String ip = "127.77." + (n / 250) + "." + (n % 250 + 2);
      Map<String, String> env = env(pod);
      int max = Integer.parseInt(env.getOrDefault("WSNODE_MAX_CONNECTIONS", "10000"));
      String fleet = namespace + "/" + pod.getMetadata().getLabels().get(FLEET_LABEL);
      standIn.register(fleet, new StandInPod(name, ip, token, max, System.nanoTime()));
      ipByPod.put(name, ip);
      try {
        // Bound, as kube-scheduler would: the endpointslice controller skips unbound pods.
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
        client
            .pods()
            .inNamespace(namespace)
            .withName(name)
            .editStatus(p -> KubeletStatus.running(p, ip, true));
      } catch (KubernetesClientException e) {
        // Deleted before it got going.
        forget(name);
      }
    } catch (RuntimeException e) {
      // The token Secret may still be on its way.
      if (attempts > 1) {
        workers.schedule(() -> run(pod, attempts - 1), 250, TimeUnit.MILLISECONDS);
      } else {
        failures.incrementAndGet();
      }
    }
  }

  private void going(Pod pod) {
    String name = pod.getMetadata().getName();
    boolean wasRunning = ipByPod.containsKey(name);
    forget(name);
    if (wasRunning && pod.getMetadata().getDeletionTimestamp() != null) {
      // A bound pod waits for its kubelet: the stand-in's server has nothing left to stop.
      workers.execute(
          () -> {
            try {
              client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
              // Gone already.
            }
          });
    }
  }

  private void forget(String name) {
    String ip = ipByPod.remove(name);
    if (ip != null) {
      standIn.unregister(ip);
    }
  }

  private static Map<String, String> env(Pod pod) {
    Container container = pod.getSpec().getContainers().get(0);
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  /** The admin token the pod's server would read from its mounted Secret (cached per Secret). */
  private String token(Pod pod) {
    String tokenFile = env(pod).get("WSNODE_ADMIN_TOKEN_FILE");
    String secretName =
        pod.getSpec().getVolumes().stream()
            .map(Volume::getSecret)
            .filter(s -> s != null)
            .findFirst()
            .orElseThrow()
            .getSecretName();
    String key = tokenFile.substring(tokenFile.lastIndexOf('/') + 1);
    return tokenBySecret.computeIfAbsent(
        secretName + "/" + key,
        k -> {
          Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
          if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
            throw new IllegalStateException("no Secret " + secretName + " yet");
          }
          return new String(
              Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        });
  }

  @Override
  public void close() throws InterruptedException {
    informer.close();
    workers.shutdownNow();
    workers.awaitTermination(5, TimeUnit.SECONDS);
  }
}
