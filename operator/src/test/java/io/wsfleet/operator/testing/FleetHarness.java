package io.wsfleet.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final Duration adminTimeout;
  private FleetOperator operator;
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
    this(controlPlane, namespace, operatorClient, leaseNamespace, Duration.ofSeconds(2));
  }

  /** With the operator's admin calls timing out after {@code adminTimeout}. */
  public FleetHarness(
      ControlPlane controlPlane,
      String namespace,
      KubernetesClient operatorClient,
      String leaseNamespace,
      Duration adminTimeout) {
    this.adminTimeout = adminTimeout;
    this.admin = controlPlane.newClient();
    this.namespace = namespace;
    this.operatorClient = operatorClient;
    this.leaseNamespace = leaseNamespace;
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    this.kubelet = new FakeKubelet(admin, namespace, vertx);
    startOperator();
  }

  public void startOperator() {
    operator =
        new FleetOperator(
            operatorClient,
            new FleetOperator.Options(
                Set.of(namespace), leaseNamespace, "test-" + namespace, adminTimeout, false),
            new OperatorMetrics());
    operator.start();
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

  @Override
  public void close() {
    stopOperator();
    kubelet.close();
    admin.namespaces().withName(namespace).delete();
    vertx.close().await();
    admin.close();
  }
}
