package io.wsfleet.node.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** A request a client sends as one JSON text frame. */
public sealed interface ClientFrame {

  /** Channel names are safe to embed in JSON and Redis keys without escaping. */
  Pattern CHANNEL = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  /**
   * Start receiving a channel; with {@code since}, first everything after that offset of {@code
   * epoch} (null: the current one). Every request may carry an {@code id} (null if none), echoed in
   * the error frames that answer it.
   */
  record Subscribe(String channel, Long since, String epoch, String id) implements ClientFrame {}

  /** Stop receiving a channel. */
  record Unsubscribe(String channel, String id) implements ClientFrame {}

  /** Publish a JSON payload to a channel; {@code id} is echoed in the acknowledgement too. */
  record Publish(String channel, String payloadJson, String id) implements ClientFrame {}

  /** Parses one text frame or throws a {@link ProtocolException} that names the problem. */
  static ClientFrame parse(String text) {
    return parse(object(text));
  }

  /** The frame as a JSON object, or a bad_json {@link ProtocolException}. */
  static JsonObject object(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ProtocolException("bad_json", "frame is not a JSON object");
    }
  }

  /**
   * Reads a request from a JSON object or throws a {@link ProtocolException} naming the problem.
   */
  static ClientFrame parse(JsonObject json) {
    String op = stringField(json, "op");
    if (op == null) {
      throw new ProtocolException(
          "bad_request", "missing \"op\" (subscribe, unsubscribe, publish)");
    }
    return switch (op) {
      case "subscribe" ->
          new Subscribe(channel(json), since(json), epoch(json), stringField(json, "id"));
      case "unsubscribe" -> new Unsubscribe(channel(json), stringField(json, "id"));
      case "publish" -> new Publish(channel(json), payload(json), stringField(json, "id"));
      default ->
          throw new ProtocolException(
              "unknown_op", "unknown op \"" + op + "\" (subscribe, unsubscribe, publish)");
    };
  }

  private static String stringField(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String string)) {
      throw new ProtocolException("bad_request", "\"" + name + "\" must be a string");
    }
    return string;
  }

  private static String channel(JsonObject json) {
    String channel = stringField(json, "channel");
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new ProtocolException(
          "bad_request", "\"channel\" must be 1-128 characters of A-Z a-z 0-9 . _ : @ -");
    }
    return channel;
  }

  private static Long since(JsonObject json) {
    Object value = json.getValue("since");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)
        || number.longValue() < 0
        || number.doubleValue() != number.longValue()) {
      throw new ProtocolException("bad_request", "\"since\" must be a whole number >= 0");
    }
    return number.longValue();
  }

  private static String epoch(JsonObject json) {
    String epoch = stringField(json, "epoch");
    if (epoch != null && epoch.length() > 64) {
      throw new ProtocolException("bad_request", "\"epoch\" must be at most 64 characters");
    }
    return epoch;
  }

  private static String payload(JsonObject json) {
    if (!json.containsKey("payload")) {
      throw new ProtocolException("bad_request", "publish needs a \"payload\"");
    }
    return Json.encode(json.getValue("payload"));
  }
}
