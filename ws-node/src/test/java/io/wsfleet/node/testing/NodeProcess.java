package io.wsfleet.node.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ws-node running as its own JVM, as in a pod: configured by env, stopped by signals. */
public final class NodeProcess implements AutoCloseable {

  private static final Pattern STARTED =
      Pattern.compile("event=started .*client_port=(\\d+) admin_port=(\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private volatile int clientPort;
  private volatile int adminPort;

  private NodeProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.add(line);
                  Matcher started = STARTED.matcher(line);
                  if (started.find()) {
                    clientPort = Integer.parseInt(started.group(1));
                    adminPort = Integer.parseInt(started.group(2));
                  }
                }
              } catch (IOException e) {
                output.add("(output lost: " + e + ")");
              }
            },
            "node-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code io.wsfleet.node.Main} on loopback with free ports and the given settings. */
  public static NodeProcess start(Map<String, String> env) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.wsfleet.node.Main")
            .redirectErrorStream(true);
    builder.environment().put("WSNODE_HOST", "127.0.0.1");
    builder.environment().put("WSNODE_CLIENT_PORT", "0");
    builder.environment().put("WSNODE_ADMIN_PORT", "0");
    builder.environment().putAll(env);
    try {
      NodeProcess node = new NodeProcess(builder.start());
      await()
          .atMost(Duration.ofSeconds(30))
          .failFast("ws-node process exited: " + node.output, () -> !node.process.isAlive())
          .until(() -> node.clientPort > 0);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int clientPort() {
    return clientPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public List<String> output() {
    return output;
  }

  /** Sends SIGTERM, as the kubelet does (Process.destroy would also close our pipes). */
  public void terminate() {
    process.toHandle().destroy();
  }

  public Integer waitForExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }
}
