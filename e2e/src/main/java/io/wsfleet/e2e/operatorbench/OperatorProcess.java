package io.wsfleet.e2e.operatorbench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a process of its own ({@code java -jar wsfleet-operator.jar}, OperatorMain with a
 * kubeconfig), so that its CPU and heap are its own: CPU from /proc/&lt;pid&gt;/stat, everything
 * else from its /metrics.
 */
final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts the operator jar watching {@code namespace}, acting as {@code serviceAccount} (Fabric8's
   * impersonation settings, so the API server tells its requests apart), logging to {@code log}.
   */
  static OperatorProcess start(
      Path jar,
      List<String> jvmFlags,
      Path kubeconfig,
      String namespace,
      String serviceAccount,
      List<String> groups,
      Path log)
      throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("WSFLEET_WATCH_NAMESPACES", namespace);
    env.put("WSFLEET_HTTP_PORT", Integer.toString(port));
    env.put("POD_NAME", "operator-bench");
    env.put("KUBERNETES_IMPERSONATE_USERNAME", serviceAccount);
    env.put("KUBERNETES_IMPERSONATE_GROUP", String.join(",", groups));
    env.remove("WSFLEET_LEASE_NAMESPACE");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new OperatorProcess(builder.start(), port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** True once /readyz answers 200 (the operator's controllers have started). */
  boolean ready() {
    try {
      return get("/readyz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  PromSamples metrics() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new IOException("operator /metrics answered " + response.statusCode());
    }
    return PromSamples.parse(response.body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** User plus system CPU time the process has used, in seconds (/proc/&lt;pid&gt;/stat). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // Fields 14 and 15 of stat(5); fields[0] here is field 3 (state).
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / (double) ClockTicks.PER_SECOND;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The kernel's clock ticks per second (getconf CLK_TCK; 100 on Linux unless told otherwise). */
  private static final class ClockTicks {
    static final long PER_SECOND = read();

    private static long read() {
      try {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
        String out =
            new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        getconf.waitFor(5, TimeUnit.SECONDS);
        return Long.parseLong(out);
      } catch (IOException | NumberFormatException e) {
        return 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 100;
      }
    }
  }
}
