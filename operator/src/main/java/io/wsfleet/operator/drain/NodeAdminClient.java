package io.wsfleet.operator.drain;

import io.wsfleet.contract.AdminAuth;
import io.wsfleet.contract.AdminPaths;
import io.wsfleet.contract.DrainRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Calls a ws-node's authenticated admin API: drain requests and metrics scrapes. Every call is
 * asynchronous and bounded by a timeout; a 401 with one token is retried with the next one, so a
 * token rotation does not lock the operator out of pods that still hold the other token.
 */
public final class NodeAdminClient {

  private static final int UNAUTHORIZED = 401;

  private final HttpClient http;
  private final Duration timeout;

  public NodeAdminClient(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** The longest any call waits for an answer. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Asks the server to drain: all clients, or only {@code count} of them when count is given (a
   * partial drain that rebalances). Completes with the HTTP status; fails on I/O errors.
   */
  public CompletableFuture<Integer> drain(
      AdminEndpoint to, AdminTokens tokens, int ratePerSecond, long deadlineSeconds, Long count) {
    String body = new DrainRequest(ratePerSecond, Math.max(1, deadlineSeconds), count).toJson();
    return send(
            token ->
                request(to, AdminPaths.DRAIN, token, timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
            HttpResponse.BodyHandlers.discarding(),
            tokens.inOrder())
        .thenApply(HttpResponse::statusCode);
  }

  /**
   * The server's Prometheus text, or a failed future with the reason; no answer within {@code
   * within} (capped by the client's timeout) fails it.
   */
  public CompletableFuture<String> metrics(AdminEndpoint to, AdminTokens tokens, Duration within) {
    Duration limit = within.compareTo(timeout) < 0 ? within : timeout;
    return send(
            token -> request(to, AdminPaths.METRICS, token, limit).GET().build(),
            HttpResponse.BodyHandlers.ofString(),
            tokens.inOrder())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "HTTP " + response.statusCode() + " from " + AdminPaths.METRICS);
              }
              return response.body();
            });
  }

  private <T> CompletableFuture<HttpResponse<T>> send(
      Function<String, HttpRequest> request,
      HttpResponse.BodyHandler<T> body,
      List<String> tokens) {
    CompletableFuture<HttpResponse<T>> sent = http.sendAsync(request.apply(tokens.get(0)), body);
    if (tokens.size() == 1) {
      return sent;
    }
    return sent.thenCompose(
        response ->
            response.statusCode() == UNAUTHORIZED
                ? send(request, body, tokens.subList(1, tokens.size()))
                : CompletableFuture.completedFuture(response));
  }

  private static HttpRequest.Builder request(
      AdminEndpoint to, String path, String token, Duration timeout) {
    String host = to.host();
    String authority = host.contains(":") ? "[" + host + "]" : host;
    return HttpRequest.newBuilder(URI.create("http://" + authority + ":" + to.port() + path))
        .timeout(timeout)
        .header(AdminAuth.HEADER, AdminAuth.headerValue(token));
  }
}
