package io.wsfleet.contract;

import java.util.List;

/**
 * Prometheus metric names on a server's {@link AdminPaths#METRICS}. The operator reads only {@link
 * #CONNECTIONS}; the rest are what ws-node exposes for dashboards and alerts. Counter names are
 * given without the {@code _total} suffix the exposition adds.
 */
public final class Metrics {

  /** Gauge: open WebSocket connections. The operator scales and completes drains on it. */
  public static final String CONNECTIONS = "wsnode_connections";

  /** Gauge: TCP connections on the client port not upgraded to WebSocket yet. */
  public static final String HANDSHAKES_PENDING = "wsnode_handshakes_pending";

  /** Gauge: 1 while the server drains. */
  public static final String DRAINING = "wsnode_draining";

  /** Gauge: connections the drain still has to close. */
  public static final String DRAIN_REMAINING = "wsnode_drain_remaining";

  /** Gauge: 1 while the broker is reachable. */
  public static final String BROKER_UP = "wsnode_broker_up";

  /** Counter: connections accepted. */
  public static final String CONNECTIONS_OPENED = "wsnode_connections_opened";

  /** Counter: connections closed, by {@code reason}. */
  public static final String CONNECTIONS_CLOSED = "wsnode_connections_closed";

  /** Counter: connections or handshakes refused or timed out before the upgrade, by reason. */
  public static final String CONNECTIONS_REJECTED = "wsnode_connections_rejected";

  /** Counter: messages published. */
  public static final String MESSAGES_PUBLISHED = "wsnode_messages_published";

  /** Counter: messages written to subscribers. */
  public static final String MESSAGES_DELIVERED = "wsnode_messages_delivered";

  /** Counter: clients closed for not reading fast enough. */
  public static final String SLOW_CONSUMER_DISCONNECTS = "wsnode_slow_consumer_disconnects";

  /** Counter: broker calls that failed. */
  public static final String BROKER_ERRORS = "wsnode_broker_errors";

  /** Counter: client frames refused, by {@code code}. */
  public static final String PROTOCOL_ERRORS = "wsnode_protocol_errors";

  /** What any server in a fleet must expose; the operator cannot scale or drain without them. */
  public static final List<String> REQUIRED = List.of(CONNECTIONS);

  private Metrics() {}
}
