package io.wsfleet.e2e.operatorbench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.wsfleet.contract.AdminAuth;
import io.wsfleet.contract.AdminPaths;
import io.wsfleet.contract.DrainRequest;
import io.wsfleet.contract.Metrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for every ws-node of the benchmark: one HTTP listener on 0.0.0.0 that answers, for
 * each pod's loopback address, the part of the node contract the operator uses: {@code GET
 * /metrics} (Prometheus text with {@code wsnode_connections}) and {@code POST /admin/drain} (202,
 * after which the pod's connections fall to 0 at the asked rate), both behind the pod's bearer
 * token. It holds no WebSocket clients: a fleet's connection counts are a model ({@link
 * StandInFleet}), because a thousand ws-node JVMs do not fit on this machine.
 */
final class NodeStandIn implements AutoCloseable {

  /** A pod the stand-in answers for, and the fleet (namespace/name) it belongs to. */
  record Registered(StandInPod pod, String fleet) {}

  private final HttpServer server;
  private final Map<String, Registered> byIp = new ConcurrentHashMap<>();
  private final Map<String, StandInFleet> fleets = new ConcurrentHashMap<>();
  private final List<Registered> everRegistered = new CopyOnWriteArrayList<>();
  private final AtomicLong scrapes = new AtomicLong();
  private final AtomicLong drains = new AtomicLong();
  private final AtomicLong unauthorized = new AtomicLong();
  private final AtomicLong unknownAddress = new AtomicLong();
  private volatile long clientsPerFleet;

  private NodeStandIn(HttpServer server) {
    this.server = server;
  }

  /** Listens on 0.0.0.0 at a port the kernel picks (free on every address, so no clash). */
  static NodeStandIn start(Vertx vertx) throws Exception {
    NodeStandIn[] self = new NodeStandIn[1];
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions().setHost("0.0.0.0").setPort(0).setIdleTimeout(0));
    self[0] = new NodeStandIn(server);
    server.requestHandler(request -> self[0].handle(request));
    server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return self[0];
  }

  int port() {
    return server.actualPort();
  }

  /** Sets every fleet's client total, present and future. */
  void setClientsPerFleet(long clients) {
    clientsPerFleet = clients;
    fleets.values().forEach(f -> f.setClients(clients));
  }

  void register(String fleet, StandInPod pod) {
    Registered registered = new Registered(pod, fleet);
    fleets.computeIfAbsent(fleet, f -> new StandInFleet(clientsPerFleet)).add(pod);
    byIp.put(pod.ip, registered);
    everRegistered.add(registered);
  }

  void unregister(String ip) {
    Registered gone = byIp.remove(ip);
    if (gone != null) {
      fleets.get(gone.fleet()).remove(gone.pod());
    }
  }

  List<Registered> everRegistered() {
    return List.copyOf(everRegistered);
  }

  long scrapes() {
    return scrapes.get();
  }

  long drains() {
    return drains.get();
  }

  long unauthorized() {
    return unauthorized.get();
  }

  long unknownAddress() {
    return unknownAddress.get();
  }

  long partialDrains() {
    return everRegistered.stream().mapToLong(r -> r.pod().partialDrains()).sum();
  }

  private void handle(HttpServerRequest request) {
    long now = System.nanoTime();
    Registered target = byIp.get(request.localAddress().hostAddress());
    if (target == null) {
      unknownAddress.incrementAndGet();
      request.response().setStatusCode(503).end();
      return;
    }
    if (!(AdminAuth.SCHEME + " " + target.pod().token)
        .equals(request.getHeader(AdminAuth.HEADER))) {
      unauthorized.incrementAndGet();
      request.response().setStatusCode(401).end();
      return;
    }
    StandInFleet fleet = fleets.get(target.fleet());
    StandInPod pod = target.pod();
    String path = request.path();
    if (AdminPaths.METRICS.equals(path)) {
      pod.scraped(now);
      scrapes.incrementAndGet();
      request
          .response()
          .putHeader("Content-Type", "text/plain; version=0.0.4")
          .end(metrics(fleet.connections(pod, now), pod.draining()));
    } else if (AdminPaths.DRAIN.equals(path) && request.method().name().equals("POST")) {
      request.body().onSuccess(body -> drain(request, fleet, pod, body));
    } else if (path.startsWith("/health/")) {
      request.response().end("ok\n");
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private void drain(HttpServerRequest request, StandInFleet fleet, StandInPod pod, Buffer body) {
    long now = System.nanoTime();
    JsonObject ask = body.length() == 0 ? new JsonObject() : body.toJsonObject();
    int rate = ask.getInteger(DrainRequest.RATE_PER_SECOND, DrainRequest.DEFAULT_RATE_PER_SECOND);
    if (ask.containsKey(DrainRequest.COUNT)) {
      // Clients are spread evenly already, so a rebalancing drain moves nobody here.
      pod.partialDrainAsked();
    } else {
      pod.startDrain(now, fleet.connections(pod, now), rate);
    }
    drains.incrementAndGet();
    request
        .response()
        .setStatusCode(202)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("connections", fleet.connections(pod, now))
                .put("draining", pod.draining())
                .encode());
  }

  private static String metrics(long connections, boolean draining) {
    return gauge(Metrics.CONNECTIONS, connections) + gauge(Metrics.DRAINING, draining ? 1 : 0);
  }

  private static String gauge(String name, long value) {
    return "# TYPE " + name + " gauge\n" + name + " " + value + "\n";
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
