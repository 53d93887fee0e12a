package io.wsfleet.node.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.wsfleet.contract.AdminAuth;
import io.wsfleet.contract.AdminPaths;
import io.wsfleet.contract.NodeStatus;
import io.wsfleet.node.broker.Broker;
import io.wsfleet.node.config.NodeConfig;
import io.wsfleet.node.drain.Drainer;
import io.wsfleet.node.metrics.NodeMetrics;
import io.wsfleet.node.session.ClientEndpoint;

/**
 * The admin port, never behind the client Service: health without a token; metrics, status and
 * drain only with the operator's bearer token.
 */
public final class AdminEndpoint {

  private final AdminTokens tokens;
  private final TokenFile tokenFile;
  private final ClientEndpoint clients;
  private final Drainer drainer;
  private final Broker broker;
  private final NodeMetrics metrics;
  private final int maxConnections;
  private final long startedMillis = System.currentTimeMillis();

  public AdminEndpoint(
      Vertx vertx,
      NodeConfig config,
      ClientEndpoint clients,
      Drainer drainer,
      Broker broker,
      NodeMetrics metrics) {
    this.tokens = new AdminTokens(config.adminToken(), config.adminTokenGrace());
    this.tokenFile =
        config
            .adminTokenFile()
            .map(
                path ->
                    new TokenFile(
                        vertx, path, tokens, config.adminTokenGrace().toSeconds(), startedMillis))
            .orElse(null);
    if (tokenFile != null) {
      tokenFile.watch();
    }
    this.clients = clients;
    this.drainer = drainer;
    this.broker = broker;
    this.metrics = metrics;
    this.maxConnections = config.maxConnections();
  }

  public void handle(HttpServerRequest request) {
    String route = request.method().name() + " " + request.path();
    switch (route) {
      case "GET " + AdminPaths.HEALTH_LIVE ->
          json(request, 200, new JsonObject().put("live", true));
      case "GET " + AdminPaths.HEALTH_READY -> ready(request);
      case "GET " + AdminPaths.METRICS ->
          authorized(
              request,
              () ->
                  request
                      .response()
                      .putHeader("Content-Type", NodeMetrics.contentType())
                      .end(metrics.scrape()));
      case "GET " + AdminPaths.STATUS -> authorized(request, () -> json(request, 200, status()));
      case "POST " + AdminPaths.DRAIN -> authorized(request, () -> drain(request));
      default -> {
        int code =
            request.method() == HttpMethod.GET || request.method() == HttpMethod.POST ? 404 : 405;
        json(request, code, new JsonObject().put("error", "no such endpoint: " + route));
      }
    }
  }

  private void ready(HttpServerRequest request) {
    boolean draining = drainer.refusesNewConnections();
    boolean brokerUp = broker.isUp();
    JsonObject body =
        new JsonObject()
            .put("ready", !draining && brokerUp)
            .put("draining", draining)
            .put("brokerUp", brokerUp);
    json(request, !draining && brokerUp ? 200 : 503, body);
  }

  /**
   * Runs {@code then} if the request carries an accepted token. A token not accepted may be one the
   * mounted Secret was just rotated to: the file is read again (at most once a second) before the
   * request is refused, with the request paused meanwhile so that no body is lost. No token
   * configured means nobody is authorized.
   */
  private void authorized(HttpServerRequest request, Runnable then) {
    String header = request.getHeader(AdminAuth.HEADER);
    String presented =
        header != null && header.startsWith(AdminAuth.SCHEME + " ")
            ? header.substring(AdminAuth.SCHEME.length() + 1)
            : null;
    if (tokens.accepts(presented, System.currentTimeMillis())) {
      then.run();
      return;
    }
    if (presented == null || tokenFile == null) {
      unauthorized(request);
      return;
    }
    request.pause();
    tokenFile
        .reloadSoon(System.currentTimeMillis())
        .onComplete(
            reread -> {
              if (tokens.accepts(presented, System.currentTimeMillis())) {
                then.run();
              } else {
                unauthorized(request);
              }
              request.resume();
            });
  }

  private void unauthorized(HttpServerRequest request) {
    request.response().putHeader("WWW-Authenticate", AdminAuth.SCHEME);
    json(
        request,
        401,
        new JsonObject()
            .put(
                "error",
                tokens.configured()
                    ? "missing or wrong bearer token"
                    : "no admin token configured (WSNODE_ADMIN_TOKEN or WSNODE_ADMIN_TOKEN_FILE)"));
  }

  /**
   * {@code draining} is the pod's drain (a full one: it refuses new clients, readiness and {@code
   * wsnode_draining} say the same); a partial drain only sheds load and shows as {@code
   * rebalancing}.
   */
  private JsonObject status() {
    Drainer.Status drain = drainer.status();
    boolean rebalancing = drain.draining() && !drain.full();
    return new JsonObject()
        .put(NodeStatus.CONNECTIONS, clients.connections())
        .put(NodeStatus.MAX_CONNECTIONS, maxConnections)
        .put(NodeStatus.DRAINING, drainer.refusesNewConnections())
        .put(NodeStatus.REBALANCING, rebalancing)
        .put(
            NodeStatus.DRAIN,
            new JsonObject()
                .put(NodeStatus.DRAIN_ACTIVE, drain.draining())
                .put(NodeStatus.DRAIN_MODE, mode(drain))
                .put(NodeStatus.DRAIN_REMAINING, drain.remaining())
                .put(NodeStatus.DRAIN_CLOSED, drain.closed())
                .put(NodeStatus.DRAIN_RATE_PER_SECOND, drain.ratePerSecond())
                .put(NodeStatus.DRAIN_DEADLINE_EPOCH_MILLIS, drain.deadlineMillis()))
        .put(NodeStatus.UPTIME_SECONDS, (System.currentTimeMillis() - startedMillis) / 1000)
        .put(
            NodeStatus.BROKER,
            new JsonObject()
                .put(NodeStatus.BROKER_TYPE, broker.describe())
                .put(NodeStatus.BROKER_UP, broker.isUp()));
  }

  /** {@code full} once the pod drains, {@code partial} for the last partial one, else none. */
  private String mode(Drainer.Status drain) {
    if (drainer.refusesNewConnections()) {
      return NodeStatus.MODE_FULL;
    }
    return drain.started() && !drain.full() ? NodeStatus.MODE_PARTIAL : NodeStatus.MODE_NONE;
  }

  /**
   * Keeps at most {@link DrainBody#MAX_BYTES} of the body: a declared length above it is refused
   * before any of the body is read, a chunked body as soon as it passes the limit.
   */
  private void drain(HttpServerRequest request) {
    if (declaresMore(request.getHeader("Content-Length"), DrainBody.MAX_BYTES)) {
      tooLarge(request);
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      // Vert.x leaves it to us; a declared length too large was answered 413 instead, unsent.
      request.response().writeContinue();
    }
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > DrainBody.MAX_BYTES) {
            tooLarge(request);
          } else if (!request.response().ended()) {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(
        end -> {
          if (request.response().ended()) {
            return;
          }
          Drainer.Request drain;
          try {
            drain = DrainBody.parse(body, System.currentTimeMillis());
          } catch (IllegalArgumentException e) {
            json(request, 400, new JsonObject().put("error", e.getMessage()));
            return;
          }
          drainer.start(drain, System.currentTimeMillis());
          json(request, 202, status());
        });
  }

  private static boolean declaresMore(String contentLength, int max) {
    try {
      return contentLength != null && Long.parseLong(contentLength.trim()) > max;
    } catch (NumberFormatException tooManyDigits) {
      return true;
    }
  }

  /**
   * 413 as soon as the body is known to be too large. The rest of the body is dropped as it comes
   * (closing at once would reset the connection under a client still sending, which would then
   * never see the answer); over HTTP/1, Connection: close ends the connection after it.
   */
  private static void tooLarge(HttpServerRequest request) {
    if (request.response().ended()) {
      return;
    }
    if (request.version() != HttpVersion.HTTP_2) {
      request.response().putHeader("Connection", "close");
    }
    json(
        request,
        413,
        new JsonObject().put("error", "body above " + DrainBody.MAX_BYTES + " bytes"));
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode() + "\n");
  }
}
