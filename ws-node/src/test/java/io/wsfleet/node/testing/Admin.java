package io.wsfleet.node.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a server's admin port the way the operator does. */
public final class Admin {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Admin() {}

  public static HttpResponse<String> get(int port, String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path)).GET();
    return send(token == null ? request : request.header("Authorization", "Bearer " + token));
  }

  public static HttpResponse<String> post(int port, String path, String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(body));
    return send(token == null ? request : request.header("Authorization", "Bearer " + token));
  }

  public static JsonObject status(int port) {
    return new JsonObject(get(port, "/admin/status", Nodes.TOKEN).body());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
