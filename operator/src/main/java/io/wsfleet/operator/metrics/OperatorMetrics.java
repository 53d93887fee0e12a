package io.wsfleet.operator.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wsfleet.operator.api.WebSocketFleet;

/**
 * The operator's own Prometheus metrics, labelled by namespace and fleet; the reconcile counts are
 * {@link ReconcileMetrics}', in the same registry.
 */
public final class OperatorMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter scrapeErrors =
      Counter.builder()
          .name("wsfleet_operator_scrape_errors")
          .help("Failed scrapes of a fleet's pods")
          .labelNames("namespace", "fleet")
          .register(registry);
  private final Counter decisions =
      Counter.builder()
          .name("wsfleet_operator_decisions")
          .help("Scaling decisions that changed a fleet, by reason")
          .labelNames("namespace", "fleet", "reason")
          .register(registry);
  private final Counter drains =
      Counter.builder()
          .name("wsfleet_operator_drains")
          .help("Pod drains, by outcome: started, completed, timed_out")
          .labelNames("namespace", "fleet", "outcome")
          .register(registry);
  private final Gauge desiredReplicas =
      Gauge.builder()
          .name("wsfleet_operator_desired_replicas")
          .help("Serving pods a fleet should have, as last decided")
          .labelNames("namespace", "fleet")
          .register(registry);
  private final Gauge connections =
      Gauge.builder()
          .name("wsfleet_operator_fleet_connections")
          .help("Connections across a fleet at the last scrape")
          .labelNames("namespace", "fleet")
          .register(registry);

  /** Metrics without JVM collectors, for tests that run several operators in one JVM. */
  public OperatorMetrics() {}

  /** Adds the JVM's own metrics; once per process. */
  public OperatorMetrics withJvmMetrics() {
    JvmMetrics.builder().register(registry);
    return this;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void scrapeFailed(WebSocketFleet fleet) {
    scrapeErrors.labelValues(ns(fleet), name(fleet)).inc();
  }

  public void decided(WebSocketFleet fleet, String reason) {
    decisions.labelValues(ns(fleet), name(fleet), reason).inc();
  }

  public void drain(WebSocketFleet fleet, String outcome) {
    drains.labelValues(ns(fleet), name(fleet), outcome).inc();
  }

  public void observed(WebSocketFleet fleet, int desired, long total) {
    desiredReplicas.labelValues(ns(fleet), name(fleet)).set(desired);
    connections.labelValues(ns(fleet), name(fleet)).set(total);
  }

  private static String ns(WebSocketFleet fleet) {
    return fleet.getMetadata().getNamespace();
  }

  private static String name(WebSocketFleet fleet) {
    return fleet.getMetadata().getName();
  }
}
