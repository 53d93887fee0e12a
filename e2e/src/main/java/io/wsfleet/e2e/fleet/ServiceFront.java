package io.wsfleet.e2e.fleet;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test and demo scaffolding that plays a Service: a TCP front that sends each new connection to one
 * of the Service's ready endpoints as the control plane's EndpointSlices list them, round robin. A
 * pod marked draining leaves the Service's selector, so it gets no new clients.
 */
public final class ServiceFront implements AutoCloseable {

  private final SharedIndexInformer<EndpointSlice> slices;
  private final NetServer server;
  private final NetClient backends;
  private final AtomicLong turn = new AtomicLong();
  private volatile List<String> ready = List.of();

  private ServiceFront(KubernetesClient client, String namespace, String service, Vertx vertx) {
    this.backends = vertx.createNetClient();
    this.slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .withLabel("kubernetes.io/service-name", service)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(EndpointSlice slice) {
                    refresh();
                  }

                  @Override
                  public void onUpdate(EndpointSlice old, EndpointSlice slice) {
                    refresh();
                  }

                  @Override
                  public void onDelete(EndpointSlice slice, boolean unknownFinalState) {
                    refresh();
                  }
                });
    this.server = vertx.createNetServer().connectHandler(this::forward);
  }

  /** Listens on host:port in front of the Service's endpoints. */
  public static ServiceFront start(
      KubernetesClient client, String namespace, String service, Vertx vertx, String host, int port)
      throws Exception {
    ServiceFront front = new ServiceFront(client, namespace, service, vertx);
    front.server.listen(port, host).await(10, TimeUnit.SECONDS);
    return front;
  }

  private void refresh() {
    List<String> endpoints = new ArrayList<>();
    for (EndpointSlice slice : slices.getStore().list()) {
      if (slice.getPorts() == null || slice.getPorts().isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      int port = slice.getPorts().get(0).getPort();
      for (Endpoint endpoint : slice.getEndpoints()) {
        boolean isReady =
            endpoint.getConditions() == null
                || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
        if (isReady) {
          endpoint.getAddresses().forEach(address -> endpoints.add(address + ":" + port));
        }
      }
    }
    endpoints.sort(null);
    ready = List.copyOf(endpoints);
  }

  private void forward(NetSocket front) {
    List<String> endpoints = ready;
    if (endpoints.isEmpty()) {
      front.close();
      return;
    }
    String[] target =
        endpoints.get((int) Math.floorMod(turn.getAndIncrement(), endpoints.size())).split(":");
    front.pause();
    backends
        .connect(Integer.parseInt(target[1]), target[0])
        .onSuccess(
            back -> {
              front.pipeTo(back);
              back.pipeTo(front);
              front.resume();
            })
        .onFailure(e -> front.close());
  }

  /** The endpoints new connections go to now. */
  public List<String> endpoints() {
    return ready;
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    slices.close();
    server.close();
    backends.close();
  }
}
