package io.wsfleet.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** The server's Prometheus metrics, all prefixed wsnode_, in a registry of its own. */
public final class NodeMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  public final Counter opened = counter("wsnode_connections_opened", "Connections accepted");
  public final Counter closed =
      counter("wsnode_connections_closed", "Connections closed, by reason", "reason");
  public final Counter rejected =
      counter(
          "wsnode_connections_rejected",
          "Connections or handshakes refused or timed out before the upgrade, by reason",
          "reason");
  public final Counter published = counter("wsnode_messages_published", "Messages published");
  public final Counter delivered =
      counter("wsnode_messages_delivered", "Messages written to subscribers");
  public final Counter slowConsumers =
      counter("wsnode_slow_consumer_disconnects", "Clients closed for not reading fast enough");
  public final Counter brokerErrors =
      counter("wsnode_broker_errors", "Broker calls that failed (publish, subscribe, history)");
  public final Counter protocolErrors =
      counter("wsnode_protocol_errors", "Client frames refused, by code", "code");

  /** Gauges read their value at scrape time from the server's own state. */
  public NodeMetrics(
      IntSupplier connections,
      IntSupplier pendingHandshakes,
      BooleanSupplier draining,
      LongSupplier drainRemaining,
      BooleanSupplier brokerUp,
      boolean withJvmMetrics) {
    gauge("wsnode_connections", "Open WebSocket connections", connections::getAsInt);
    gauge(
        "wsnode_handshakes_pending",
        "TCP connections on the client port not upgraded to WebSocket yet",
        pendingHandshakes::getAsInt);
    gauge("wsnode_draining", "1 while the server drains", () -> draining.getAsBoolean() ? 1 : 0);
    gauge(
        "wsnode_drain_remaining",
        "Connections the drain still has to close",
        drainRemaining::getAsLong);
    gauge(
        "wsnode_broker_up",
        "1 while the broker is reachable",
        () -> brokerUp.getAsBoolean() ? 1 : 0);
    if (withJvmMetrics) {
      JvmMetrics.builder().register(registry);
    }
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(value.getAsDouble()))
        .register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
