package io.wsfleet.e2e.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Connection counts from a ws-node's admin API, as the operator reads them. */
final class NodeAdmin {

  private static final Pattern CONNECTIONS = Pattern.compile("\"connections\"\\s*:\\s*(\\d+)");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * Open connections, or -1 when the server cannot be asked. Each token is tried in turn while the
   * server answers 401: around a rotation a pod may hold either.
   */
  long connections(String ip, int port, List<String> tokens) {
    try {
      for (String token : tokens) {
        HttpResponse<String> response =
            http.send(
                request(ip, port, "/admin/status", token), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
          continue;
        }
        Matcher m = CONNECTIONS.matcher(response.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static HttpRequest request(String ip, int port, String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
            .timeout(Duration.ofSeconds(2));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.build();
  }
}
