package io.wsfleet.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP client for what a well-behaved client never does: stop halfway through a request,
 * send frames a WebSocket library would refuse to, stop reading.
 */
public final class RawClient implements AutoCloseable {

  private final Socket socket;

  private RawClient(Socket socket) {
    this.socket = socket;
  }

  public static RawClient connect(int port) {
    try {
      return new RawClient(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawClient sendAscii(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the server ended the connection (end of stream or reset), waiting at most 50 ms for it;
   * anything the server sent meanwhile is skipped.
   */
  public boolean closedByServer() {
    try {
      socket.setSoTimeout(50);
      InputStream in = socket.getInputStream();
      byte[] skipped = new byte[4096];
      while (true) {
        if (in.read(skipped) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
