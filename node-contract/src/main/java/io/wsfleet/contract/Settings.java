package io.wsfleet.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every environment variable a fleet's server reads, with its default and meaning; the operator
 * writes some of them on each pod, a team's template may set the others. A server refuses to start
 * on a {@link #PREFIX} name that is not listed here, so a typo in a template never goes unnoticed.
 */
public enum Settings {
  HOST("0.0.0.0", "address both ports bind"),
  CLIENT_PORT("8080", "WebSocket port (0: any free port)"),
  ADMIN_PORT("9090", "admin port (0: any free port)"),
  MAX_CONNECTIONS("10000", "hard cap; beyond it handshakes get 503"),
  HANDSHAKE_TIMEOUT_SECONDS(
      "10", "time a TCP connection has to finish its WebSocket upgrade before it is closed"),
  MAX_PENDING_HANDSHAKES(
      "1000", "TCP connections not upgraded yet, at most; beyond it new ones are closed at once"),
  ADMIN_TOKEN(null, "bearer token of the admin API"),
  ADMIN_TOKEN_FILE(null, "file holding the bearer token of the admin API (wins over ADMIN_TOKEN)"),
  ADMIN_TOKEN_GRACE_SECONDS(
      "120", "how long the previous token stays accepted after the token file changed"),
  ADMIN_REQUEST_TIMEOUT_SECONDS(
      "10", "time an admin connection has to send a request and get its answer"),
  REDIS_ADDRESS(null, "host:port of Redis; absent: in-process broker"),
  REDIS_PASSWORD(null, "Redis password"),
  REDIS_PASSWORD_FILE(null, "file holding the Redis password (wins over REDIS_PASSWORD)"),
  REDIS_DATABASE("0", "Redis logical database"),
  HISTORY_MAX_ENTRIES("10000", "messages kept per channel for resuming"),
  MAX_FRAME_BYTES("65536", "largest frame or message a client may send (1009 beyond)"),
  PUBLISH_RATE_PER_SECOND("50", "publishes per second per connection"),
  PUBLISH_BURST("100", "burst above that rate"),
  SEND_QUEUE_MAX_BYTES(
      "262144", "outbound bytes queued per client before it is closed as a slow consumer (1013)"),
  MAX_PROTOCOL_ERRORS("10", "refused frames before a client is closed (1008)"),
  MAX_SUBSCRIPTIONS("64", "channels one connection may subscribe to"),
  PING_INTERVAL_SECONDS("20", "how often every client is pinged"),
  IDLE_TIMEOUT_SECONDS("60", "silence (no frame, no pong) before a client is closed (1001)"),
  SHUTDOWN_GRACE_SECONDS("30", "SIGTERM drain budget (the pod's termination grace period)"),
  RECONNECT_DELAY_MAX_MILLIS("5000", "upper bound of the jittered reconnect hint in 1012 closes"),
  RETRY_AFTER_SECONDS("5", "Retry-After of 503 answers");

  /** Every setting's environment variable starts with it; other variables are not the server's. */
  public static final String PREFIX = "WSNODE_";

  private final String defaultValue;
  private final String meaning;

  Settings(String defaultValue, String meaning) {
    this.defaultValue = defaultValue;
    this.meaning = meaning;
  }

  /** The environment variable, e.g. {@code WSNODE_CLIENT_PORT}. */
  public String envName() {
    return PREFIX + name();
  }

  /** The value a server uses when the variable is absent or blank; empty: none (feature off). */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** The default of a numeric setting. */
  public int defaultInt() {
    if (defaultValue == null) {
      throw new IllegalStateException(envName() + " has no default");
    }
    return Integer.parseInt(defaultValue);
  }

  /** One line on what the setting does, as README and docs/node-contract.md say it. */
  public String meaning() {
    return meaning;
  }

  /** The setting an environment variable names, if it is one. */
  public static Optional<Settings> ofEnvName(String envName) {
    return Arrays.stream(values()).filter(s -> s.envName().equals(envName)).findFirst();
  }
}
