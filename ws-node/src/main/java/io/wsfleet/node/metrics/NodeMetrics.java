package io.wsfleet.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wsfleet.contract.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics, named in the node contract's {@link Metrics}, in a registry of
 * its own.
 */
public final class NodeMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

  public final Counter opened = counter(Metrics.CONNECTIONS_OPENED, "Connections accepted");
  public final Counter closed =
      counter(Metrics.CONNECTIONS_CLOSED, "Connections closed, by reason", "reason");
  public final Counter rejected =
      counter(
          Metrics.CONNECTIONS_REJECTED,
          "Connections or handshakes refused or timed out before the upgrade, by reason",
          "reason");
  public final Counter published = counter(Metrics.MESSAGES_PUBLISHED, "Messages published");
  public final Counter delivered =
      counter(Metrics.MESSAGES_DELIVERED, "Messages written to subscribers");
  public final Counter slowConsumers =
      counter(Metrics.SLOW_CONSUMER_DISCONNECTS, "Clients closed for not reading fast enough");
  public final Counter brokerErrors =
      counter(Metrics.BROKER_ERRORS, "Broker calls that failed (publish, subscribe, history)");
  public final Counter protocolErrors =
      counter(Metrics.PROTOCOL_ERRORS, "Client frames refused, by code", "code");

  /** Gauges read their value at scrape time from the server's own state. */
  public NodeMetrics(
      IntSupplier connections,
      IntSupplier pendingHandshakes,
      BooleanSupplier draining,
      LongSupplier drainRemaining,
      BooleanSupplier brokerUp,
      boolean withJvmMetrics) {
    gauge(Metrics.CONNECTIONS, "Open WebSocket connections", connections::getAsInt);
    gauge(
        Metrics.HANDSHAKES_PENDING,
        "TCP connections on the client port not upgraded to WebSocket yet",
        pendingHandshakes::getAsInt);
    gauge(Metrics.DRAINING, "1 while the server drains", () -> draining.getAsBoolean() ? 1 : 0);
    gauge(
        Metrics.DRAIN_REMAINING,
        "Connections the drain still has to close",
        drainRemaining::getAsLong);
    gauge(
        Metrics.BROKER_UP,
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
