package io.wsfleet.e2e.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the local fleet starts (Redis, the operator), logging to a file, stopped with SIGTERM.
 */
final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new ChildProcess(name, builder.start());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String name() {
    return name;
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}; the exit code. */
  int stop(long graceSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  @Override
  public void close() {
    stop(10);
  }
}
