package io.wsfleet.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.wsfleet.localcluster.ControlPlane;
import io.wsfleet.operator.testing.ControlPlaneExtension;
import io.wsfleet.operator.testing.FleetHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's reconcile metrics, read from its registry while it runs a fleet. */
@ExtendWith(ControlPlaneExtension.class)
class ReconcileMetricsTest {

  @Test
  void reconcilesAreCountedInOneSeries(ControlPlane controlPlane) throws Exception {
    try (KubernetesClient admin = controlPlane.newClient();
        FleetHarness h = new FleetHarness(controlPlane, "reconcile-metrics", admin)) {
      h.apply(
          """
          apiVersion: wsfleet.io/v1alpha1
          kind: WebSocketFleet
          metadata:
            name: counted
          spec:
            replicas: 0
          """);
      await().atMost(Duration.ofSeconds(20)).until(() -> h.fleet("counted").getStatus() != null);

      List<String> reconcileCounters =
          Arrays.stream(text(h.metrics()).split("\n"))
              .filter(line -> !line.startsWith("#"))
              .filter(line -> line.contains("\"counted\""))
              .filter(line -> line.startsWith("wsfleet_operator_reconcil"))
              .filter(line -> line.contains("_total{"))
              .filter(line -> !line.contains("fail"))
              .map(line -> line.substring(0, line.lastIndexOf(' ')))
              .toList();
      assertThat(reconcileCounters)
          .containsExactly(
              "wsfleet_operator_reconciles_total{fleet=\"counted\",namespace=\"reconcile-metrics\"}");
    }
  }

  private static String text(OperatorMetrics metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
