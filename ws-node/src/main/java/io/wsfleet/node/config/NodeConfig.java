package io.wsfleet.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every ws-node setting, read from WSNODE_* environment variables with defaults that run a single
 * server alone.
 */
public record NodeConfig(
    String host,
    int clientPort,
    int adminPort,
    int maxConnections,
    Optional<String> adminToken,
    Optional<String> redisAddress,
    Optional<String> redisPassword,
    int redisDatabase,
    int historyMaxEntries,
    int maxFrameBytes,
    int publishRatePerSecond,
    int publishBurst,
    int sendQueueMaxBytes,
    int maxProtocolErrors,
    Duration pingInterval,
    Duration idleTimeout,
    Duration shutdownGrace,
    int reconnectDelayMaxMillis,
    int retryAfterSeconds,
    Duration handshakeTimeout,
    int maxPendingHandshakes,
    Optional<String> adminTokenFile,
    Duration adminTokenGrace,
    int maxSubscriptions,
    Duration adminRequestTimeout) {

  /** Defaults only: a server on 0.0.0.0:8080 / 9090 with the in-process broker. */
  public static NodeConfig defaults() {
    return fromEnv(Map.of());
  }

  /** Reads the settings; a malformed value fails with the variable's name and what it expects. */
  public static NodeConfig fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    NodeConfig config =
        new NodeConfig(
            r.string("WSNODE_HOST", "0.0.0.0"),
            r.integer("WSNODE_CLIENT_PORT", 8080, 0, 65535),
            r.integer("WSNODE_ADMIN_PORT", 9090, 0, 65535),
            r.integer("WSNODE_MAX_CONNECTIONS", 10_000, 1, 10_000_000),
            r.secret("WSNODE_ADMIN_TOKEN"),
            r.optional("WSNODE_REDIS_ADDRESS"),
            r.secret("WSNODE_REDIS_PASSWORD"),
            r.integer("WSNODE_REDIS_DATABASE", 0, 0, 15),
            r.integer("WSNODE_HISTORY_MAX_ENTRIES", 10_000, 1, 10_000_000),
            r.integer("WSNODE_MAX_FRAME_BYTES", 65_536, 128, 16 * 1024 * 1024),
            r.integer("WSNODE_PUBLISH_RATE_PER_SECOND", 50, 1, 1_000_000),
            r.integer("WSNODE_PUBLISH_BURST", 100, 1, 1_000_000),
            r.integer("WSNODE_SEND_QUEUE_MAX_BYTES", 262_144, 1024, 64 * 1024 * 1024),
            r.integer("WSNODE_MAX_PROTOCOL_ERRORS", 10, 1, 1_000_000),
            Duration.ofSeconds(r.integer("WSNODE_PING_INTERVAL_SECONDS", 20, 1, 3600)),
            Duration.ofSeconds(r.integer("WSNODE_IDLE_TIMEOUT_SECONDS", 60, 1, 86_400)),
            Duration.ofSeconds(r.integer("WSNODE_SHUTDOWN_GRACE_SECONDS", 30, 1, 86_400)),
            r.integer("WSNODE_RECONNECT_DELAY_MAX_MILLIS", 5000, 0, 600_000),
            r.integer("WSNODE_RETRY_AFTER_SECONDS", 5, 1, 3600),
            Duration.ofSeconds(r.integer("WSNODE_HANDSHAKE_TIMEOUT_SECONDS", 10, 1, 3600)),
            r.integer("WSNODE_MAX_PENDING_HANDSHAKES", 1000, 1, 1_000_000),
            r.optional("WSNODE_ADMIN_TOKEN_FILE"),
            Duration.ofSeconds(r.integer("WSNODE_ADMIN_TOKEN_GRACE_SECONDS", 120, 0, 86_400)),
            r.integer("WSNODE_MAX_SUBSCRIPTIONS", 64, 1, 100_000),
            Duration.ofSeconds(r.integer("WSNODE_ADMIN_REQUEST_TIMEOUT_SECONDS", 10, 1, 3600)));
    r.redisAddressMustBeHostPort();
    if (!r.errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid ws-node settings: " + String.join("; ", r.errors));
    }
    return config;
  }

  /** Collects every problem instead of stopping at the first, so one restart fixes them all. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> errors = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    String string(String name, String fallback) {
      String value = env.get(name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    Optional<String> optional(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** NAME or NAME_FILE (a mounted Secret); the file wins, trailing newline dropped. */
    Optional<String> secret(String name) {
      Optional<String> file = optional(name + "_FILE");
      if (file.isPresent()) {
        try {
          String value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
          if (value.isEmpty()) {
            errors.add(name + "_FILE " + file.get() + " is empty");
          }
          return Optional.of(value);
        } catch (IOException e) {
          errors.add(name + "_FILE " + file.get() + " cannot be read: " + e.getMessage());
          return Optional.empty();
        }
      }
      return optional(name);
    }

    int integer(String name, int fallback, int min, int max) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        int parsed = Integer.parseInt(value.trim());
        if (parsed < min || parsed > max) {
          errors.add(name + "=" + value + " must be between " + min + " and " + max);
          return fallback;
        }
        return parsed;
      } catch (NumberFormatException e) {
        errors.add(name + "=" + value + " is not a whole number");
        return fallback;
      }
    }

    void redisAddressMustBeHostPort() {
      optional("WSNODE_REDIS_ADDRESS")
          .filter(a -> !a.matches("[^:/\\s]+:[0-9]{1,5}"))
          .ifPresent(a -> errors.add("WSNODE_REDIS_ADDRESS=" + a + " must be host:port"));
    }
  }
}
