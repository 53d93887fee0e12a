package io.wsfleet.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.net.SocketAddress;
import io.wsfleet.localcluster.Command;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.node.testing.TestClient;
import io.wsfleet.operator.FleetOperator;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.metrics.OperatorMetrics;
import io.wsfleet.operator.reconciler.FleetLabels;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One namespace with the operator running in this JVM, a kubelet stand-in that runs every pod as a
 * real ws-node, and WebSocket clients; closes it all at the end.
 */
public final class FleetHarness implements AutoCloseable {

  public final KubernetesClient admin;
  public final String namespace;
  public final Vertx vertx = Vertx.vertx();
  public final WebSocketClient wsClient = TestClient.newClient(vertx);
  public final FakeKubelet kubelet;
  private final KubernetesClient operatorClient;
  private final String leaseNamespace;
  private final Set<String> watchNamespaces;
  private final Duration adminTimeout;
  private FleetOperator operator;
  private OperatorMetrics metrics;
  private final AtomicInteger turn = new AtomicInteger();

  /**
   * @param operatorClient the client the operator uses (cluster-admin, or impersonating its
   *     ServiceAccount)
   */
  public FleetHarness(
      ControlPlane controlPlane, String namespace, KubernetesClient operatorClient) {
    this(controlPlane, namespace, operatorClient, null);
  }

  /** With leader election through a Lease in {@code leaseNamespace}, when not null. */
  public FleetHarness(
      ControlPlane controlPlane,
      String namespace,
      KubernetesClient operatorClient,
      String leaseNamespace) {
    this(controlPlane, namespace, operatorClient, leaseNamespace, Set.of(namespace));
  }

  /**
   * @param watchNamespaces the operator's watched namespaces (WSFLEET_WATCH_NAMESPACES), empty for
   *     all
   */
  public FleetHarness(
      ControlPlane controlPlane,
      String namespace,
      KubernetesClient operatorClient,
      String leaseNamespace,
      Set<String> watchNamespaces) {
    this(
        controlPlane,
        namespace,
        operatorClient,
        leaseNamespace,
        watchNamespaces,
        Duration.ofSeconds(2));
  }

  /** With the operator's admin calls timing out after {@code adminTimeout}. */
  public FleetHarness(
      ControlPlane controlPlane,
      String namespace,
      KubernetesClient operatorClient,
      String leaseNamespace,
      Duration adminTimeout) {
    this(controlPlane, namespace, operatorClient, leaseNamespace, Set.of(namespace), adminTimeout);
  }

  private FleetHarness(
      ControlPlane controlPlane,
      String namespace,
      KubernetesClient operatorClient,
      String leaseNamespace,
      Set<String> watchNamespaces,
      Duration adminTimeout) {
    this.adminTimeout = adminTimeout;
    this.admin = controlPlane.newClient();
    this.namespace = namespace;
    this.operatorClient = operatorClient;
    this.leaseNamespace = leaseNamespace;
    this.watchNamespaces = Set.copyOf(watchNamespaces);
    // A test may create the namespace first, to grant the operator a Role in it before it starts.
    if (admin.namespaces().withName(namespace).get() == null) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    this.kubelet = new FakeKubelet(admin, namespace, vertx);
    startOperator();
  }

  public void startOperator() {
    metrics = new OperatorMetrics();
    operator =
        new FleetOperator(
            operatorClient,
            new FleetOperator.Options(
                watchNamespaces, leaseNamespace, "test-" + namespace, adminTimeout, false),
            metrics);
    operator.start();
  }

  /** The metrics of the operator started last. */
  public OperatorMetrics metrics() {
    return metrics;
  }

  public void stopOperator() {
    operator.close();
  }

  /** Creates a fleet from YAML, as a user would apply it. */
  public WebSocketFleet apply(String yaml) {
    WebSocketFleet fleet = Serialization.unmarshal(yaml, WebSocketFleet.class);
    return admin.resources(WebSocketFleet.class).inNamespace(namespace).resource(fleet).create();
  }

  /** Changes a fleet as `kubectl edit` would, again when the operator's status patch got first. */
  public WebSocketFleet editFleet(String name, UnaryOperator<WebSocketFleet> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return admin
            .resources(WebSocketFleet.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public WebSocketFleet fleet(String name) {
    return admin.resources(WebSocketFleet.class).inNamespace(namespace).withName(name).get();
  }

  public List<Pod> pods(String fleet) {
    return admin
        .pods()
        .inNamespace(namespace)
        .withLabel(FleetLabels.FLEET, fleet)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /** Serving pods whose server runs, as the Service would route to them. */
  public List<Pod> servingPods(String fleet) {
    return pods(fleet).stream()
        .filter(p -> FleetLabels.SERVING.equals(p.getMetadata().getLabels().get(FleetLabels.STATE)))
        .filter(p -> kubelet.running().containsKey(p.getMetadata().getName()))
        .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
        .toList();
  }

  /** The next serving pod's client address, round robin: a stand-in for the Service. */
  public SocketAddress throughService(String fleet, int clientPort) {
    List<Pod> serving = servingPods(fleet);
    Pod pod = serving.get(Math.floorMod(turn.getAndIncrement(), serving.size()));
    return SocketAddress.inetSocketAddress(clientPort, pod.getStatus().getPodIP());
  }

  public TestClient connect(Pod pod, int clientPort) throws Exception {
    return TestClient.connect(wsClient, pod.getStatus().getPodIP(), clientPort)
        .await(10, TimeUnit.SECONDS);
  }

  /** Events on the fleet with this reason, oldest first. */
  public List<Event> events(String reason) {
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .sorted(
            Comparator.comparing(Event::getLastTimestamp)
                .thenComparing(e -> e.getMetadata().getCreationTimestamp()))
        .toList();
  }

  public Command.Result kubectl(ControlPlane controlPlane, String... args) {
    String[] withNamespace = new String[args.length + 2];
    System.arraycopy(args, 0, withNamespace, 0, args.length);
    withNamespace[args.length] = "-n";
    withNamespace[args.length + 1] = namespace;
    return controlPlane.kubectl(withNamespace);
  }

  /** The fleet's condition of this type, or null before the operator wrote one. */
  public static io.fabric8.kubernetes.api.model.Condition condition(
      WebSocketFleet fleet, String type) {
    if (fleet == null || fleet.getStatus() == null || fleet.getStatus().getConditions() == null) {
      return null;
    }
    return fleet.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** Events with this reason about the named fleet, summing repeats (Event.count). */
  public int eventCount(String fleet, String reason) {
    return events(reason).stream()
        .filter(e -> fleet.equals(e.getInvolvedObject().getName()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount())
        .sum();
  }

  /**
   * Keeps in {@code most} the highest number of this namespace's pods seen draining at the same
   * time among those {@code which} accepts; close the watch to stop.
   */
  public Watch watchMostDraining(Predicate<Pod> which, AtomicInteger most) {
    Set<String> draining = ConcurrentHashMap.newKeySet();
    return admin
        .pods()
        .inNamespace(namespace)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                if (action != Action.DELETED
                    && pod.getMetadata().getDeletionTimestamp() == null
                    && FleetLabels.DRAINING.equals(label(pod, FleetLabels.STATE))
                    && which.test(pod)) {
                  draining.add(name);
                } else {
                  draining.remove(name);
                }
                most.accumulateAndGet(draining.size(), Math::max);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  /** The pod's label, or null. */
  public static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }

  @Override
  public void close() {
    stopOperator();
    kubelet.close();
    admin.namespaces().withName(namespace).delete();
    vertx.close().await();
    admin.close();
  }
}
