package io.wsfleet.node.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on loopback, without persistence, that tests can stop and restart.
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final List<String> extraArgs;
  private Process process;

  private RedisServer(int port, List<String> extraArgs) {
    this.port = port;
    this.extraArgs = extraArgs;
  }

  public static RedisServer start() {
    return start(List.of());
  }

  /** With more redis-server arguments, e.g. {@code --requirepass secret}. */
  public static RedisServer start(List<String> extraArgs) {
    RedisServer server = new RedisServer(freePort(), List.copyOf(extraArgs));
    server.restart();
    return server;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Starts the server on the same port (after {@link #stop()}), empty. */
  public void restart() {
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no"));
      command.addAll(extraArgs);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start redis-server (installed by e2e/setup.sh): " + e.getMessage(), e);
    }
    await().atMost(Duration.ofSeconds(10)).until(this::accepting);
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Cuts every publish/subscribe connection (the servers' feeds) while Redis keeps its data, as a
   * network blip would; returns how many were cut.
   */
  public long killFeeds() {
    String reply = command("*4\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$4\r\nTYPE\r\n$6\r\npubsub\r\n");
    if (reply == null || !reply.startsWith(":")) {
      throw new IllegalStateException("CLIENT KILL answered " + reply);
    }
    return Long.parseLong(reply.substring(1));
  }

  /** Deletes every key while the servers stay connected, as an operator's FLUSHALL would. */
  public void flushAll() {
    String reply = command("*1\r\n$8\r\nFLUSHALL\r\n");
    if (!"+OK".equals(reply)) {
      throw new IllegalStateException("FLUSHALL answered " + reply);
    }
  }

  /** Runs one command, as redis-cli would; returns the first line of the answer. */
  public String run(String... args) {
    StringBuilder resp = new StringBuilder("*" + args.length + "\r\n");
    for (String arg : args) {
      resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      resp.append(arg).append("\r\n");
    }
    return command(resp.toString());
  }

  private String command(String resp) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(resp.getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
