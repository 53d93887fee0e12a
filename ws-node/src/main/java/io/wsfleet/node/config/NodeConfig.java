package io.wsfleet.node.config;

import io.wsfleet.contract.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every ws-node setting, read from WSNODE_* environment variables (named, with their defaults, in
 * the node contract's {@link Settings}) with defaults that run a single server alone. A WSNODE_*
 * variable that is no setting stops the start: a typo in a fleet's template must not be ignored.
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
    NodeConfig config = read(r);
    r.redisAddressMustBeHostPort();
    r.errors.addAll(UnknownSettings.errors(env.keySet(), r.read));
    if (!r.errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid ws-node settings: " + String.join("; ", r.errors));
    }
    return config;
  }

  /** Every environment variable a server reads: the names the unknown-name check accepts. */
  public static Set<String> knownNames() {
    Reader r = new Reader(Map.of());
    read(r);
    return Set.copyOf(r.read);
  }

  private static NodeConfig read(Reader r) {
    return new NodeConfig(
        r.string(Settings.HOST),
        r.integer(Settings.CLIENT_PORT, 0, 65535),
        r.integer(Settings.ADMIN_PORT, 0, 65535),
        r.integer(Settings.MAX_CONNECTIONS, 1, 10_000_000),
        r.secret(Settings.ADMIN_TOKEN),
        r.optional(Settings.REDIS_ADDRESS),
        r.secret(Settings.REDIS_PASSWORD),
        r.integer(Settings.REDIS_DATABASE, 0, 15),
        r.integer(Settings.HISTORY_MAX_ENTRIES, 1, 10_000_000),
        r.integer(Settings.MAX_FRAME_BYTES, 128, 16 * 1024 * 1024),
        r.integer(Settings.PUBLISH_RATE_PER_SECOND, 1, 1_000_000),
        r.integer(Settings.PUBLISH_BURST, 1, 1_000_000),
        r.integer(Settings.SEND_QUEUE_MAX_BYTES, 1024, 64 * 1024 * 1024),
        r.integer(Settings.MAX_PROTOCOL_ERRORS, 1, 1_000_000),
        Duration.ofSeconds(r.integer(Settings.PING_INTERVAL_SECONDS, 1, 3600)),
        Duration.ofSeconds(r.integer(Settings.IDLE_TIMEOUT_SECONDS, 1, 86_400)),
        Duration.ofSeconds(r.integer(Settings.SHUTDOWN_GRACE_SECONDS, 1, 86_400)),
        r.integer(Settings.RECONNECT_DELAY_MAX_MILLIS, 0, 600_000),
        r.integer(Settings.RETRY_AFTER_SECONDS, 1, 3600),
        Duration.ofSeconds(r.integer(Settings.HANDSHAKE_TIMEOUT_SECONDS, 1, 3600)),
        r.integer(Settings.MAX_PENDING_HANDSHAKES, 1, 1_000_000),
        r.optional(Settings.ADMIN_TOKEN_FILE),
        Duration.ofSeconds(r.integer(Settings.ADMIN_TOKEN_GRACE_SECONDS, 0, 86_400)),
        r.integer(Settings.MAX_SUBSCRIPTIONS, 1, 100_000),
        Duration.ofSeconds(r.integer(Settings.ADMIN_REQUEST_TIMEOUT_SECONDS, 1, 3600)));
  }

  /** Collects every problem instead of stopping at the first, so one restart fixes them all. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> errors = new ArrayList<>();
    private final Set<String> read = new LinkedHashSet<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    String string(Settings setting) {
      return string(setting.envName(), setting.defaultValue().orElseThrow());
    }

    Optional<String> optional(Settings setting) {
      return optional(setting.envName());
    }

    Optional<String> secret(Settings setting) {
      return secret(setting.envName());
    }

    int integer(Settings setting, int min, int max) {
      return integer(setting.envName(), setting.defaultInt(), min, max);
    }

    String string(String name, String fallback) {
      read.add(name);
      String value = env.get(name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    Optional<String> optional(String name) {
      read.add(name);
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** NAME or NAME_FILE (a mounted Secret); the file wins, trailing newline dropped. */
    Optional<String> secret(String name) {
      read.add(name);
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
      read.add(name);
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
      optional(Settings.REDIS_ADDRESS)
          .filter(a -> !a.matches("[^:/\\s]+:[0-9]{1,5}"))
          .ifPresent(
              a -> errors.add(Settings.REDIS_ADDRESS.envName() + "=" + a + " must be host:port"));
    }
  }
}
