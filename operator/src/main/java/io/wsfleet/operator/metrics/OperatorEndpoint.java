package io.wsfleet.operator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** The operator's own HTTP port: /metrics, /healthz (alive) and /readyz (started). */
public final class OperatorEndpoint implements AutoCloseable {

  private final HttpServer server;
  private volatile boolean ready;

  private OperatorEndpoint(HttpServer server) {
    this.server = server;
  }

  public static OperatorEndpoint start(int port, OperatorMetrics metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    OperatorEndpoint endpoint = new OperatorEndpoint(server);
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    server.createContext(
        "/metrics",
        exchange -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          writer.write(body, metrics.registry().scrape());
          respond(exchange, 200, writer.getContentType(), body.toByteArray());
        });
    server.createContext(
        "/healthz", exchange -> respond(exchange, 200, "text/plain", bytes("ok\n")));
    server.createContext(
        "/readyz",
        exchange ->
            respond(
                exchange,
                endpoint.ready ? 200 : 503,
                "text/plain",
                bytes(endpoint.ready ? "ready\n" : "starting\n")));
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.start();
    return endpoint;
  }

  public void markReady() {
    ready = true;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
