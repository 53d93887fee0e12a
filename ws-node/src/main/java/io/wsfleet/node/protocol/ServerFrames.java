package io.wsfleet.node.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Encodes the frames the server sends. Channel names are validated to need no escaping, so message
 * frames, the hot path of fan-out, are built by concatenation once per message.
 */
public final class ServerFrames {

  private ServerFrames() {}

  public static String message(String channel, long offset, String payloadJson) {
    return "{\"type\":\"message\",\"channel\":\""
        + channel
        + "\",\"offset\":"
        + offset
        + ",\"payload\":"
        + payloadJson
        + "}";
  }

  /** Live from after {@code offset} of {@code epoch} (empty while the channel has none). */
  public static String subscribed(String channel, long offset, String epoch) {
    return new JsonObject()
        .put("type", "subscribed")
        .put("channel", channel)
        .put("offset", offset)
        .put("epoch", epoch == null ? "" : epoch)
        .encode();
  }

  public static String unsubscribed(String channel) {
    return new JsonObject().put("type", "unsubscribed").put("channel", channel).encode();
  }

  public static String published(String channel, long offset, String id) {
    JsonObject frame =
        new JsonObject().put("type", "published").put("channel", channel).put("offset", offset);
    if (id != null) {
      frame.put("id", id);
    }
    return frame.encode();
  }

  /** History no longer reaches back to {@code since}: offsets up to earliest - 1 are gone. */
  public static String truncated(String channel, long since, long earliest) {
    return new JsonObject()
        .put("type", "truncated")
        .put("channel", channel)
        .put("since", since)
        .put("earliest", earliest)
        .encode();
  }

  /**
   * The broker lost the channel's data and numbers it anew in {@code epoch}: whatever followed
   * {@code since} in the old epoch is gone, and so are the new epoch's offsets before {@code
   * earliest} (none when it is 1).
   */
  public static String reset(String channel, long since, long earliest, String epoch) {
    return new JsonObject()
        .put("type", "truncated")
        .put("channel", channel)
        .put("since", since)
        .put("earliest", earliest)
        .put("reset", true)
        .put("epoch", epoch)
        .encode();
  }

  /**
   * An error answering a request; {@code id} and {@code channel} are the request's, as it sent them
   * (even when they are what was wrong with it), or null when it had none.
   */
  public static String error(String code, String message, Object id, Object channel) {
    JsonObject frame =
        new JsonObject().put("type", "error").put("code", code).put("message", message);
    if (id != null) {
      frame.put("id", id);
    }
    if (channel != null) {
      frame.put("channel", channel);
    }
    return frame.encode();
  }
}
