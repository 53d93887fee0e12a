package io.wsfleet.e2e.ws;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 client (text frames, ping/pong, close; no extensions) on a Vert.x {@link
 * NetSocket}.
 *
 * <p>Why not Vert.x's own WebSocketClient: in Vert.x 5.2.3 {@code
 * WebSocketClientOptions.setLocalAddress} has no effect (the options become a {@code
 * TcpClientConfig} through its {@code ClientOptionsBase} constructor, which drops the local
 * address), so every socket would come from 127.0.0.1 and the ~28,000 ephemeral ports of one source
 * address would cap the benchmark. {@code NetClientOptions.setLocalAddress} is honoured.
 */
public final class RawWebSocket {

  /** Close status when the TCP connection ended without a close frame (RFC 6455 7.4.1). */
  public static final int ABNORMAL_CLOSURE = 1006;

  /** Gets the close status and reason the server sent, or 1006 and "" without a close frame. */
  @FunctionalInterface
  public interface CloseHandler {
    void closed(int code, String reason);
  }

  /** The server answered the upgrade with something other than 101; status 0 if not HTTP. */
  public static final class UpgradeRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    UpgradeRefused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HEAD_BYTES = 8192;
  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;

  private final NetSocket socket;
  private final Handler<String> textHandler;
  private final CloseHandler closeHandler;
  private int closeCode = ABNORMAL_CLOSURE;
  private String closeReason = "";
  private Promise<RawWebSocket> opening;
  private String expectedAccept;
  private Buffer pending;
  private Buffer fragments;
  private boolean open;
  private boolean closeSent;

  private RawWebSocket(NetSocket socket, Handler<String> textHandler, CloseHandler closeHandler) {
    this.socket = socket;
    this.textHandler = textHandler;
    this.closeHandler = closeHandler;
  }

  /**
   * Connects and completes once the server answered the upgrade with 101 and the right accept key.
   * {@code textHandler} gets each text message, {@code closeHandler} the end of an open socket.
   */
  public static Future<RawWebSocket> connect(
      NetClient client,
      String host,
      int port,
      String path,
      Handler<String> textHandler,
      CloseHandler closeHandler) {
    return client
        .connect(port, host)
        .compose(
            socket ->
                new RawWebSocket(socket, textHandler, closeHandler).handshake(host, port, path));
  }

  private Future<RawWebSocket> handshake(String host, int port, String path) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    expectedAccept = acceptFor(key);
    opening = Promise.promise();
    socket.handler(this::onData);
    socket.exceptionHandler(error -> {});
    socket.closeHandler(v -> onSocketClosed());
    socket.write(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    return opening.future();
  }

  private static String acceptFor(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  public void sendText(String text) {
    writeFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Starts the close handshake; the server answers with its close frame and ends the TCP link. */
  public void close(int code) {
    writeFrame(OP_CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
  }

  /** Closes the TCP connection without the close handshake (the benchmark's abort). */
  public void abort() {
    socket.close();
  }

  private void onSocketClosed() {
    if (open) {
      open = false;
      closeHandler.closed(closeCode, closeReason);
    } else {
      opening.tryFail("connection closed during the WebSocket handshake");
    }
  }

  private void onData(Buffer data) {
    if (pending == null) {
      pending = Buffer.buffer(data.length()).appendBuffer(data);
    } else {
      pending.appendBuffer(data);
    }
    if (!open && !readHandshake()) {
      return;
    }
    readFrames();
  }

  /** True once the 101 response is read and checked; fails the opening otherwise. */
  private boolean readHandshake() {
    int end = indexOfBlankLine(pending);
    if (end < 0) {
      if (pending.length() > MAX_HEAD_BYTES) {
        failOpening("no end of the HTTP response head");
      }
      return false;
    }
    String head = pending.getString(0, end, "ISO-8859-1");
    String statusLine = head.lines().findFirst().orElse("");
    if (!statusLine.startsWith("HTTP/1.1 101")) {
      pending = null;
      opening.tryFail(new UpgradeRefused(statusOf(statusLine), "upgrade refused: " + statusLine));
      socket.close();
      return false;
    }
    boolean accepted =
        head.lines()
            .anyMatch(
                line ->
                    line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-accept:")
                        && line.substring(line.indexOf(':') + 1).trim().equals(expectedAccept));
    if (!accepted) {
      failOpening("wrong or missing Sec-WebSocket-Accept");
      return false;
    }
    open = true;
    expectedAccept = null;
    pending = pending.length() == end + 4 ? null : pending.getBuffer(end + 4, pending.length());
    Promise<RawWebSocket> opened = opening;
    opening = null;
    opened.complete(this);
    return pending != null;
  }

  private void failOpening(String reason) {
    pending = null;
    opening.tryFail(reason);
    socket.close();
  }

  private static int statusOf(String statusLine) {
    String[] parts = statusLine.split(" ", 3);
    try {
      return parts.length > 1 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int indexOfBlankLine(Buffer buffer) {
    for (int i = 0; i + 3 < buffer.length(); i++) {
      if (buffer.getByte(i) == '\r'
          && buffer.getByte(i + 1) == '\n'
          && buffer.getByte(i + 2) == '\r'
          && buffer.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void readFrames() {
    int at = 0;
    while (pending != null && open) {
      int available = pending.length() - at;
      if (available < 2) {
        break;
      }
      int b0 = pending.getUnsignedByte(at);
      int b1 = pending.getUnsignedByte(at + 1);
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0F;
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7F;
      int header = 2;
      if (length == 126) {
        if (available < 4) {
          break;
        }
        length = pending.getUnsignedShort(at + 2);
        header = 4;
      } else if (length == 127) {
        if (available < 10) {
          break;
        }
        length = pending.getLong(at + 2);
        header = 10;
      }
      if (length < 0 || length > Integer.MAX_VALUE - 16) {
        abort();
        return;
      }
      int maskAt = at + header;
      if (masked) {
        header += 4;
      }
      if (available < header + length) {
        break;
      }
      byte[] payload = pending.getBytes(at + header, at + header + (int) length);
      if (masked) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= pending.getByte(maskAt + (i & 3));
        }
      }
      at += header + (int) length;
      onFrame(fin, opcode, payload);
    }
    if (pending != null) {
      pending = at >= pending.length() ? null : pending.getBuffer(at, pending.length());
    }
  }

  private void onFrame(boolean fin, int opcode, byte[] payload) {
    switch (opcode) {
      case OP_TEXT, OP_CONTINUATION -> {
        if (fin && fragments == null) {
          textHandler.handle(new String(payload, StandardCharsets.UTF_8));
        } else {
          if (fragments == null) {
            fragments = Buffer.buffer();
          }
          fragments.appendBytes(payload);
          if (fin) {
            String text = fragments.toString(StandardCharsets.UTF_8);
            fragments = null;
            textHandler.handle(text);
          }
        }
      }
      case OP_PING -> writeFrame(0xA, payload);
      case OP_CLOSE -> {
        if (payload.length >= 2) {
          closeCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
          closeReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        } else {
          closeCode = 1005; // no status code present (RFC 6455 7.4.1)
        }
        if (!closeSent) {
          writeFrame(OP_CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : payload);
        }
        socket.close();
      }
      default -> {
        // pong and binary frames: nothing to do
      }
    }
  }

  /** One masked frame, as a client must send. */
  private void writeFrame(int opcode, byte[] payload) {
    if (closeSent) {
      return;
    }
    if (opcode == OP_CLOSE) {
      closeSent = true;
    }
    int length = payload.length;
    Buffer frame = Buffer.buffer(length + 14);
    frame.appendByte((byte) (0x80 | opcode));
    if (length < 126) {
      frame.appendByte((byte) (0x80 | length));
    } else if (length < 65_536) {
      frame.appendByte((byte) (0x80 | 126));
      frame.appendUnsignedShort(length);
    } else {
      frame.appendByte((byte) (0x80 | 127));
      frame.appendLong(length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.appendBytes(mask);
    byte[] masked = new byte[length];
    for (int i = 0; i < length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    frame.appendBytes(masked);
    socket.write(frame);
  }
}
