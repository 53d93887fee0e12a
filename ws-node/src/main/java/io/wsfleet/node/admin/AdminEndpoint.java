package io.wsfleet.node.admin;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.wsfleet.node.broker.Broker;
import io.wsfleet.node.drain.Drainer;
import io.wsfleet.node.metrics.NodeMetrics;
import io.wsfleet.node.session.ClientEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The admin port, never behind the client Service: health without a token; metrics, status and
 * drain only with the operator's bearer token.
 */
public final class AdminEndpoint {

  private final Optional<byte[]> token;
  private final ClientEndpoint clients;
  private final Drainer drainer;
  private final Broker broker;
  private final NodeMetrics metrics;
  private final int maxConnections;
  private final long startedMillis = System.currentTimeMillis();

  public AdminEndpoint(
      Optional<String> token,
      ClientEndpoint clients,
      Drainer drainer,
      Broker broker,
      NodeMetrics metrics,
      int maxConnections) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.clients = clients;
    this.drainer = drainer;
    this.broker = broker;
    this.metrics = metrics;
    this.maxConnections = maxConnections;
  }

  public void handle(HttpServerRequest request) {
    String route = request.method().name() + " " + request.path();
    switch (route) {
      case "GET /health/live" -> json(request, 200, new JsonObject().put("live", true));
      case "GET /health/ready" -> ready(request);
      case "GET /metrics" -> {
        if (authorized(request)) {
          request
              .response()
              .putHeader("Content-Type", NodeMetrics.contentType())
              .end(metrics.scrape());
        }
      }
      case "GET /admin/status" -> {
        if (authorized(request)) {
          json(request, 200, status());
        }
      }
      case "POST /admin/drain" -> {
        if (authorized(request)) {
          drain(request);
        }
      }
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

  /** Constant-time comparison; no token configured means nobody is authorized. */
  private boolean authorized(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    boolean ok =
        token.isPresent()
            && header != null
            && header.startsWith("Bearer ")
            && MessageDigest.isEqual(
                token.get(), header.substring(7).getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      request.response().putHeader("WWW-Authenticate", "Bearer");
      json(
          request,
          401,
          new JsonObject()
              .put(
                  "error",
                  token.isPresent()
                      ? "missing or wrong bearer token"
                      : "no admin token configured (WSNODE_ADMIN_TOKEN or WSNODE_ADMIN_TOKEN_FILE)"));
    }
    return ok;
  }

  private JsonObject status() {
    Drainer.Status drain = drainer.status();
    return new JsonObject()
        .put("connections", clients.connections())
        .put("maxConnections", maxConnections)
        .put("draining", drain.draining() || drainer.refusesNewConnections())
        .put(
            "drain",
            new JsonObject()
                .put("active", drain.draining())
                .put("mode", drain.full() ? "full" : "partial")
                .put("remaining", drain.remaining())
                .put("closed", drain.closed())
                .put("ratePerSecond", drain.ratePerSecond())
                .put("deadlineEpochMillis", drain.deadlineMillis()))
        .put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000)
        .put("broker", new JsonObject().put("type", broker.describe()).put("up", broker.isUp()));
  }

  private void drain(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              Drainer.Request drain;
              try {
                drain = parseDrain(body.length() == 0 ? new JsonObject() : body.toJsonObject());
              } catch (RuntimeException e) {
                json(request, 400, new JsonObject().put("error", e.getMessage()));
                return;
              }
              drainer.start(drain, System.currentTimeMillis());
              json(request, 202, status());
            });
  }

  /** {"ratePerSecond": 100, "deadlineSeconds": 300, "count": 50}; count makes it partial. */
  private static Drainer.Request parseDrain(JsonObject json) {
    int rate = positive(json, "ratePerSecond", 100);
    int deadline = positive(json, "deadlineSeconds", 300);
    Integer count = json.containsKey("count") ? positive(json, "count", 0) : null;
    return new Drainer.Request(rate, System.currentTimeMillis() + deadline * 1000L, count);
  }

  private static int positive(JsonObject json, String name, int fallback) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number) || number.intValue() < 1) {
      throw new IllegalArgumentException("\"" + name + "\" must be a whole number >= 1");
    }
    return number.intValue();
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode() + "\n");
  }
}
