package io.wsfleet.node.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.wsfleet.contract.DrainRequest;
import io.wsfleet.node.drain.Drainer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of {@code POST /admin/drain}, read strictly: a typo, a fraction or a string must not
 * start a drain other than the one asked for, so each is refused with the field's name.
 */
final class DrainBody {

  /** Far above any drain request (about 60 bytes), far below what costs memory. */
  static final int MAX_BYTES = DrainRequest.MAX_BODY_BYTES;

  private static final List<String> FIELDS = DrainRequest.FIELDS;

  private DrainBody() {}

  /**
   * The drain asked for; an empty body (absent, or only whitespace) is a full drain with the
   * defaults, as is {@code {}}.
   */
  static Drainer.Request parse(Buffer body, long nowMillis) {
    JsonObject json =
        body.toString(StandardCharsets.UTF_8).isBlank() ? new JsonObject() : object(body);
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field \"" + name + "\" (known: " + String.join(", ", FIELDS) + ")");
      }
    }
    long rate =
        integer(
            json,
            DrainRequest.RATE_PER_SECOND,
            DrainRequest.DEFAULT_RATE_PER_SECOND,
            DrainRequest.MAX_RATE_PER_SECOND);
    long deadlineSeconds =
        integer(
            json,
            DrainRequest.DEADLINE_SECONDS,
            DrainRequest.DEFAULT_DEADLINE_SECONDS,
            DrainRequest.MAX_DEADLINE_SECONDS);
    Integer count =
        json.containsKey(DrainRequest.COUNT)
            ? (int) integer(json, DrainRequest.COUNT, 0, DrainRequest.MAX_COUNT)
            : null;
    return new Drainer.Request((int) rate, nowMillis + deadlineSeconds * 1000, count);
  }

  private static JsonObject object(Buffer body) {
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
  }

  /** A JSON integer (not 1.0, not 1e3, not "1") from 1 to max; absent: the fallback. */
  private static long integer(JsonObject json, String name, long fallback, long max) {
    if (!json.containsKey(name)) {
      return fallback;
    }
    Object value = json.getValue(name);
    boolean integral =
        value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    if (!integral || ((Number) value).doubleValue() < 1 || ((Number) value).doubleValue() > max) {
      throw new IllegalArgumentException(
          "\"" + name + "\" must be a whole number from 1 to " + max + ", not " + value);
    }
    return ((Number) value).longValue();
  }
}
