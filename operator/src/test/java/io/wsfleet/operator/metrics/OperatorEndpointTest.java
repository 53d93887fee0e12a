package io.wsfleet.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.wsfleet.operator.api.WebSocketFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class OperatorEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(OperatorEndpoint endpoint, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthReadinessAndTheOperatorsMetrics() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    WebSocketFleet fleet = new WebSocketFleet();
    fleet.getMetadata().setName("chat");
    fleet.getMetadata().setNamespace("prod");
    metrics.observed(fleet, 3, 1234);
    metrics.decided(fleet, "SCALE_UP");
    metrics.drain(fleet, "completed");
    try (OperatorEndpoint endpoint = OperatorEndpoint.start(0, metrics)) {
      assertThat(get(endpoint, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(endpoint, "/readyz").statusCode()).isEqualTo(503);
      endpoint.markReady();
      assertThat(get(endpoint, "/readyz").statusCode()).isEqualTo(200);
      String text = get(endpoint, "/metrics").body();
      assertThat(text)
          .contains("wsfleet_operator_desired_replicas{fleet=\"chat\",namespace=\"prod\"} 3.0")
          .contains("wsfleet_operator_fleet_connections{fleet=\"chat\",namespace=\"prod\"} 1234.0")
          .contains(
              "wsfleet_operator_decisions_total{fleet=\"chat\",namespace=\"prod\",reason=\"SCALE_UP\"} 1.0")
          .contains(
              "wsfleet_operator_drains_total{fleet=\"chat\",namespace=\"prod\",outcome=\"completed\"} 1.0");
    }
  }
}
