package io.wsfleet.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real TCP server that accepts connections and reads each request line but never answers, as a
 * pod behind a blackholing network does: callers wait until their own timeout.
 */
public final class SilentServer implements AutoCloseable {

  /** A request line as it arrived. */
  public record Request(Instant at, String line) {}

  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private SilentServer(ServerSocket server) {
    this.server = server;
    Thread accept = new Thread(this::accept, "silent-" + server.getLocalSocketAddress());
    accept.setDaemon(true);
    accept.start();
  }

  public static SilentServer listen(String ip, int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(ip, port));
    return new SilentServer(server);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        held.add(socket);
        Thread read = new Thread(() -> readLine(socket), "silent-read");
        read.setDaemon(true);
        read.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void readLine(Socket socket) {
    StringBuilder line = new StringBuilder();
    try {
      InputStream in = socket.getInputStream();
      for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
        line.append((char) b);
      }
      requests.add(
          new Request(
              Instant.now(),
              new String(
                  line.toString().strip().getBytes(StandardCharsets.ISO_8859_1),
                  StandardCharsets.UTF_8)));
      // Keep reading (and ignoring) until the caller gives up.
      while (in.read() != -1) {
        // Nothing is ever answered.
      }
    } catch (IOException e) {
      // The caller timed out and closed.
    }
  }

  /** Request lines received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
