package io.wsfleet.e2e.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmark started: its stdout lines are logged to a file and queued for the
 * coordinator, its pid is appended to the pid file so that e2e/bench/run.sh can kill it even if the
 * coordinator dies.
 */
final class Child {

  private static final int LOGGED_LINE_MAX = 300;

  final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Writer stdin;

  private Child(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.stdin =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> copyOutput(log), name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Queues and logs every line of output until the process closes it. */
  private void copyOutput(Path log) {
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer logWriter =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        logWriter.write(
            line.length() > LOGGED_LINE_MAX
                ? line.substring(0, LOGGED_LINE_MAX) + "...(" + line.length() + " chars)"
                : line);
        logWriter.write('\n');
        logWriter.flush();
      }
    } catch (IOException e) {
      lines.add("(output lost: " + e.getMessage() + ")");
    }
  }

  /**
   * Starts {@code command} with exactly {@code env} added to this process's environment minus every
   * WSNODE_* variable; stdout (and stderr, merged) goes to {@code log}.
   */
  static Child start(
      String name, List<String> command, Map<String, String> env, Path log, Path pidFile)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("WSNODE_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    Files.writeString(
        pidFile,
        process.pid() + " " + name + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return new Child(name, process, log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The next line of output, or null if none came within {@code timeout}. */
  String poll(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Next line that starts with {@code prefix}; other lines are dropped. Null on timeout/exit. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    return awaitMatching(line -> line.startsWith(prefix), timeout);
  }

  /** Next line containing {@code text}; null on timeout or exit. */
  String awaitContaining(String text, Duration timeout) throws InterruptedException {
    return awaitMatching(line -> line.contains(text), timeout);
  }

  private String awaitMatching(Predicate<String> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && wanted.test(line)) {
        return line;
      }
      if (line == null && !process.isAlive() && lines.isEmpty()) {
        return null;
      }
    }
    return null;
  }

  void send(String command) throws IOException {
    synchronized (stdin) {
      stdin.write(command);
      stdin.write('\n');
      stdin.flush();
    }
  }

  /** Waits (bounded) for the process to exit by itself; true if it did. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL, then waits (bounded) for the exit. */
  void kill() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
