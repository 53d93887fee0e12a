package io.wsfleet.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * The reconcile metrics, counted where JOSDK runs each reconcile (retries included): the one place
 * reconciles are counted, labelled by namespace and fleet like the operator's other metrics.
 */
public final class ReconcileMetrics implements Metrics {

  private final Counter started;
  private final Counter failed;
  private final Histogram executions;

  public ReconcileMetrics(PrometheusRegistry registry) {
    started =
        Counter.builder()
            .name("wsfleet_operator_reconciles")
            .help("Reconciles of a fleet, retries included")
            .labelNames("namespace", "fleet")
            .register(registry);
    failed =
        Counter.builder()
            .name("wsfleet_operator_reconcile_failures")
            .help("Reconciles of a fleet that threw, by exception type")
            .labelNames("namespace", "fleet", "exception")
            .register(registry);
    executions =
        Histogram.builder()
            .name("wsfleet_operator_reconcile_seconds")
            .help("Time a controller execution (reconcile or cleanup) took")
            .labelNames("controller", "execution")
            .register(registry);
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    started.labelValues(namespace(resource), resource.getMetadata().getName()).inc();
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    failed
        .labelValues(
            namespace(resource),
            resource.getMetadata().getName(),
            exception.getClass().getSimpleName())
        .inc();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      executions
          .labelValues(execution.controllerName(), execution.name())
          .observe((System.nanoTime() - start) / 1e9);
    }
  }

  private static String namespace(HasMetadata resource) {
    String namespace = resource.getMetadata().getNamespace();
    return namespace == null ? "" : namespace;
  }
}
