package io.wsfleet.contract;

import java.util.List;

/**
 * The fields of the JSON object {@code GET} {@link AdminPaths#STATUS} answers (and {@code POST}
 * {@link AdminPaths#DRAIN} with 202), e.g. {@code
 * {"connections":812,"maxConnections":10000,"draining":true,"drain":{"active":true,"mode":"full",
 * "remaining":612,"closed":200,"ratePerSecond":200,"deadlineEpochMillis":…},"uptimeSeconds":3600,
 * "broker":{"type":"redis redis:6379","up":true}}}.
 */
public final class NodeStatus {

  /** Integer: open WebSocket connections. */
  public static final String CONNECTIONS = "connections";

  /** Integer: the server's cap ({@link Settings#MAX_CONNECTIONS}). */
  public static final String MAX_CONNECTIONS = "maxConnections";

  /** Boolean: the pod drains (a full drain: it refuses new clients and reports not ready). */
  public static final String DRAINING = "draining";

  /** Boolean: a partial drain sheds clients to rebalance; the pod still serves. */
  public static final String REBALANCING = "rebalancing";

  /** Object: the drain under way or last run, with {@link #DRAIN_FIELDS}. */
  public static final String DRAIN = "drain";

  /** Integer: seconds since start. */
  public static final String UPTIME_SECONDS = "uptimeSeconds";

  /** Object: the broker, with {@link #BROKER_FIELDS}. */
  public static final String BROKER = "broker";

  /** Every top-level field. */
  public static final List<String> FIELDS =
      List.of(CONNECTIONS, MAX_CONNECTIONS, DRAINING, REBALANCING, DRAIN, UPTIME_SECONDS, BROKER);

  /** In {@link #DRAIN}, boolean: a drain is under way. */
  public static final String DRAIN_ACTIVE = "active";

  /** In {@link #DRAIN}, string: {@link #MODE_FULL}, {@link #MODE_PARTIAL} or {@link #MODE_NONE}. */
  public static final String DRAIN_MODE = "mode";

  /** In {@link #DRAIN}, integer: connections it still has to close. */
  public static final String DRAIN_REMAINING = "remaining";

  /** In {@link #DRAIN}, integer: connections it closed. */
  public static final String DRAIN_CLOSED = "closed";

  /** In {@link #DRAIN}, integer: clients closed per second. */
  public static final String DRAIN_RATE_PER_SECOND = "ratePerSecond";

  /** In {@link #DRAIN}, integer: when the rest is closed at once, epoch milliseconds. */
  public static final String DRAIN_DEADLINE_EPOCH_MILLIS = "deadlineEpochMillis";

  public static final List<String> DRAIN_FIELDS =
      List.of(
          DRAIN_ACTIVE,
          DRAIN_MODE,
          DRAIN_REMAINING,
          DRAIN_CLOSED,
          DRAIN_RATE_PER_SECOND,
          DRAIN_DEADLINE_EPOCH_MILLIS);

  public static final String MODE_FULL = "full";
  public static final String MODE_PARTIAL = "partial";

  /** No drain has run yet. */
  public static final String MODE_NONE = "none";

  /** In {@link #BROKER}, string: what the broker is, for people (e.g. "redis redis:6379"). */
  public static final String BROKER_TYPE = "type";

  /** In {@link #BROKER}, boolean: the broker is reachable. */
  public static final String BROKER_UP = "up";

  public static final List<String> BROKER_FIELDS = List.of(BROKER_TYPE, BROKER_UP);

  private NodeStatus() {}
}
