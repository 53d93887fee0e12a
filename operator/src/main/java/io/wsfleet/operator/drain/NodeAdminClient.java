package io.wsfleet.operator.drain;

import io.wsfleet.contract.AdminAuth;
import io.wsfleet.contract.AdminPaths;
import io.wsfleet.contract.DrainRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Calls a ws-node's authenticated admin API: drain requests and metrics scrapes. */
public final class NodeAdminClient {

  private final HttpClient http;
  private final Duration timeout;

  public NodeAdminClient(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /**
   * Asks the server to drain: all clients, or only {@code count} of them when count is given (a
   * partial drain that rebalances). Completes with the HTTP status; fails on I/O errors.
   */
  public CompletableFuture<Integer> drain(
      String host,
      int adminPort,
      String token,
      int ratePerSecond,
      long deadlineSeconds,
      Long count) {
    String body = new DrainRequest(ratePerSecond, Math.max(1, deadlineSeconds), count).toJson();
    HttpRequest request =
        request(host, adminPort, AdminPaths.DRAIN, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  /** The server's Prometheus text, or a failed future with the reason. */
  public CompletableFuture<String> metrics(String host, int adminPort, String token) {
    HttpRequest request = request(host, adminPort, AdminPaths.METRICS, token).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "HTTP " + response.statusCode() + " from " + AdminPaths.METRICS);
              }
              return response.body();
            });
  }

  private HttpRequest.Builder request(String host, int port, String path, String token) {
    String authority = host.contains(":") ? "[" + host + "]" : host;
    return HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + path))
        .timeout(timeout)
        .header(AdminAuth.HEADER, AdminAuth.headerValue(token));
  }
}
