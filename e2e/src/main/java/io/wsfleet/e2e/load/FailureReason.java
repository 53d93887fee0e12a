package io.wsfleet.e2e.load;

import io.wsfleet.e2e.ws.RawWebSocket;
import java.net.ConnectException;
import java.util.Locale;

/** Names a failed connect or handshake for the report: {@code http-503}, {@code refused}, ... */
final class FailureReason {

  private FailureReason() {}

  static String of(Throwable error) {
    if (error instanceof RawWebSocket.UpgradeRefused refused) {
      return "http-" + refused.status();
    }
    if (error instanceof ConnectException) {
      String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
      return message.contains("refused") ? "connection-refused" : "connect-failed";
    }
    String name = error.getClass().getSimpleName();
    if (name.contains("Timeout")) {
      return "connect-timeout";
    }
    String message = String.valueOf(error.getMessage());
    if (message.contains("during the WebSocket handshake")) {
      return "closed-during-handshake";
    }
    return name.isEmpty() ? "other" : name;
  }
}
