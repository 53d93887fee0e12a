package io.wsfleet.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.wsfleet.node.admin.AdminConnections;
import io.wsfleet.node.admin.AdminEndpoint;
import io.wsfleet.node.broker.Broker;
import io.wsfleet.node.broker.InProcessBroker;
import io.wsfleet.node.broker.RedisBroker;
import io.wsfleet.node.config.NodeConfig;
import io.wsfleet.node.drain.Drainer;
import io.wsfleet.node.metrics.NodeMetrics;
import io.wsfleet.node.session.ChannelRegistry;
import io.wsfleet.node.session.ClientEndpoint;
import io.wsfleet.node.session.HandshakeGuard;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ws-node server: the client and admin ports, the broker, fan-out and drain, all on one event
 * loop (the verticle's), so no state is shared between threads.
 */
public final class WsNode extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WsNode.class);

  /**
   * SO_RCVBUF of client sockets and the size of each read. Clients send small frames (subscribe,
   * publish); larger ones, up to the frame limit, take several reads.
   */
  static final int RECEIVE_BUFFER_BYTES = 16 * 1024;

  private final NodeConfig config;
  private final boolean jvmMetrics;
  private Broker broker;
  private ClientEndpoint clients;
  private HandshakeGuard handshakes;
  private Drainer drainer;
  private HttpServer clientServer;
  private HttpServer adminServer;

  public WsNode(NodeConfig config, boolean jvmMetrics) {
    this(config, jvmMetrics, null);
  }

  /** With a broker of the caller's (tests that make a broker fail in ways Redis will not). */
  public WsNode(NodeConfig config, boolean jvmMetrics, Broker broker) {
    this.config = config;
    this.jvmMetrics = jvmMetrics;
    this.broker = broker;
  }

  private Broker brokerFromConfig() {
    return config
        .redisAddress()
        .<Broker>map(
            address ->
                new RedisBroker(
                    vertx,
                    address,
                    config.redisPassword().orElse(null),
                    config.redisDatabase(),
                    config.historyMaxEntries()))
        .orElseGet(() -> new InProcessBroker(config.historyMaxEntries()));
  }

  @Override
  public Future<?> start() {
    if (broker == null) {
      broker = brokerFromConfig();
    }
    NodeMetrics metrics =
        new NodeMetrics(
            () -> clients.connections(),
            () -> handshakes.pending(),
            () -> drainer.refusesNewConnections(),
            () -> drainer.status().remaining(),
            () -> broker.isUp(),
            jvmMetrics);
    ChannelRegistry registry = new ChannelRegistry(broker, metrics.delivered::inc);
    drainer = new Drainer(vertx, () -> clients.sessions(), config.reconnectDelayMaxMillis());
    handshakes =
        new HandshakeGuard(
            vertx, config.handshakeTimeout(), config.maxPendingHandshakes(), metrics.rejected);
    clients = new ClientEndpoint(config, registry, broker, drainer, metrics, handshakes);
    AdminEndpoint admin = new AdminEndpoint(vertx, config, clients, drainer, broker, metrics);
    long sweepMillis = config.pingInterval().toMillis();
    vertx.setPeriodic(sweepMillis, id -> clients.sweep(System.currentTimeMillis()));

    clientServer =
        vertx
            .createHttpServer(clientOptions())
            .connectionHandler(handshakes)
            .requestHandler(clients::handle);
    AdminConnections adminConnections = new AdminConnections(vertx, config.adminRequestTimeout());
    adminServer =
        vertx
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
            .connectionHandler(adminConnections)
            .requestHandler(adminConnections.guard(admin::handle));
    return clientServer
        .listen(config.clientPort(), config.host())
        .compose(s -> adminServer.listen(config.adminPort(), config.host()))
        .onSuccess(
            s ->
                LOG.info(
                    "event=started host={} client_port={} admin_port={} max_connections={}"
                        + " broker=\"{}\" admin_token={}",
                    config.host(),
                    clientPort(),
                    adminPort(),
                    config.maxConnections(),
                    broker.describe(),
                    config.adminToken().isPresent() ? "set" : "unset"));
  }

  /**
   * Per-message and per-frame deflate stay off: each compressed socket holds zlib state worth far
   * more than the 6 KiB budget of an idle connection.
   */
  private HttpServerOptions clientOptions() {
    return new HttpServerOptions()
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(false)
        .setHttp2ClearTextEnabled(false)
        .setStrictThreadMode(true)
        .setMaxWebSocketFrameSize(config.maxFrameBytes())
        .setMaxWebSocketMessageSize(config.maxFrameBytes())
        .setRegisterWebSocketWriteHandlers(false)
        // A peer that never answers the close handshake holds its socket this long.
        .setWebSocketClosingTimeout(3)
        .setTcpNoDelay(true)
        // Setting it makes Vert.x share one FixedRecvByteBufAllocator between all sockets, instead
        // of Netty's adaptive allocator and its state per socket (~130 B of heap each).
        .setReceiveBufferSize(RECEIVE_BUFFER_BYTES)
        .setAcceptBacklog(4096);
  }

  public int clientPort() {
    return clientServer.actualPort();
  }

  public int adminPort() {
    return adminServer.actualPort();
  }

  /**
   * What SIGTERM does: drain every client within the grace period (unless a drain is already under
   * way, which is hurried to fit), then stop.
   */
  public Future<Void> shutdown(Duration grace) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          long now = System.currentTimeMillis();
          long deadline = now + grace.toMillis() * 8 / 10;
          int connections = clients.connections();
          int rate = (int) Math.max(1, Math.ceil(connections / (grace.toMillis() * 0.6 / 1000.0)));
          LOG.info("event=shutdown connections={} grace={}s", connections, grace.toSeconds());
          drainer.start(new Drainer.Request(rate, deadline, null), now);
          long poll =
              vertx.setPeriodic(
                  50,
                  id -> {
                    if (clients.connections() == 0
                        || System.currentTimeMillis() > deadline + 1000) {
                      vertx.cancelTimer(id);
                      done.complete();
                    }
                  });
          LOG.debug("event=shutdown-poll timer={}", poll);
        });
    return done.future();
  }

  @Override
  public Future<?> stop() {
    return Future.join(clientServer.close(), adminServer.close())
        .eventually(() -> broker.close())
        .onComplete(v -> LOG.info("event=stopped"));
  }
}
