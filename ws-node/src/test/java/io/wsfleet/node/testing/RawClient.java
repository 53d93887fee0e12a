package io.wsfleet.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A plain TCP client for what a well-behaved client never does: stop halfway through a request,
 * send frames a WebSocket library would refuse to, stop reading.
 */
public final class RawClient implements AutoCloseable {

  /** A complete, valid WebSocket upgrade request for /ws. */
  public static final String UPGRADE_REQUEST =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;

  /** A frame the server sent. */
  public record Frame(int opcode, byte[] payload) {
    /** The status code of a close frame. */
    public int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

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

  /**
   * Opens a WebSocket by hand. A small {@code receiveBufferBytes} (set before connecting, so that
   * the window is small too) makes a client that stops reading fill the server's queue sooner.
   */
  public static RawClient webSocket(int port, int receiveBufferBytes) {
    try {
      Socket socket = new Socket();
      socket.setReceiveBufferSize(receiveBufferBytes);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      RawClient client = new RawClient(socket);
      client.sendAscii(UPGRADE_REQUEST);
      String head = client.readHttpHead();
      if (!head.startsWith("HTTP/1.1 101")) {
        socket.close();
        throw new IllegalStateException("no upgrade: " + head);
      }
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP response head, byte by byte so that nothing after it is read ahead. */
  public String readHttpHead() {
    try {
      socket.setSoTimeout(10_000);
      return readHead();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String readHead() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** One client frame (masked, as clients must), final unless {@code fin} is false. */
  public static byte[] frame(int opcode, byte[] payload, boolean fin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  public static byte[] frame(int opcode, byte[] payload) {
    return frame(opcode, payload, true);
  }

  /** Writes bytes; false once the server has torn the connection down (reset, broken pipe). */
  public boolean trySend(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      return true;
    } catch (IOException torn) {
      return false;
    }
  }

  public RawClient send(byte[] bytes) {
    if (!trySend(bytes)) {
      throw new IllegalStateException("connection lost");
    }
    return this;
  }

  /** The next frame the server sends but pings (left unanswered), waiting up to ten seconds. */
  public Frame readFrame() {
    try {
      socket.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = Math.toIntExact(in.readLong());
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        if ((first & 0x0f) != PING) {
          return new Frame(first & 0x0f, payload);
        }
      }
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
  public String toString() {
    return "raw " + socket.getLocalPort();
  }

  /** Drops the connection with a TCP reset (SO_LINGER 0): no close frame, no FIN. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
