package io.wsfleet.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String TEXT =
      """
      # HELP wsnode_connections_opened_total Connections accepted
      # TYPE wsnode_connections_opened_total counter
      wsnode_connections_opened_total 1234.0
      # HELP wsnode_connections Open WebSocket connections
      # TYPE wsnode_connections gauge
      wsnode_connections 57.0
      wsnode_connections_closed_total{reason="drain"} 9.0
      """;

  @Test
  void readsTheUnlabelledSampleWithExactlyThatName() {
    assertThat(PrometheusText.value(TEXT, "wsnode_connections")).hasValue(57.0);
    assertThat(PrometheusText.value(TEXT, "wsnode_connections_opened_total")).hasValue(1234.0);
  }

  @Test
  void aMissingOrMalformedSampleIsEmpty() {
    assertThat(PrometheusText.value(TEXT, "wsnode_draining")).isEmpty();
    assertThat(PrometheusText.value("wsnode_connections NaNish\n", "wsnode_connections")).isEmpty();
  }
}
