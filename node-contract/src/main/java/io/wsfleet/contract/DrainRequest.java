package io.wsfleet.contract;

import java.util.List;

/**
 * The body of {@code POST} {@link AdminPaths#DRAIN}: every field optional. Without {@code count} a
 * full drain (refuse new clients, close every client at {@code ratePerSecond}, the rest at the
 * deadline); with it a partial drain (close that many, keep accepting) that rebalances a fleet.
 *
 * @param ratePerSecond clients closed per second, 1 to {@link #MAX_RATE_PER_SECOND}; null: {@link
 *     #DEFAULT_RATE_PER_SECOND}
 * @param deadlineSeconds seconds from now by which every client asked to leave is closed, 1 to
 *     {@link #MAX_DEADLINE_SECONDS}; null: {@link #DEFAULT_DEADLINE_SECONDS}
 * @param count clients to close, 1 to {@link #MAX_COUNT}; null: all of them (a full drain)
 */
public record DrainRequest(Integer ratePerSecond, Long deadlineSeconds, Long count) {

  public static final String RATE_PER_SECOND = "ratePerSecond";
  public static final String DEADLINE_SECONDS = "deadlineSeconds";
  public static final String COUNT = "count";

  /** Every field a server accepts; any other is refused with 400. */
  public static final List<String> FIELDS = List.of(RATE_PER_SECOND, DEADLINE_SECONDS, COUNT);

  public static final int DEFAULT_RATE_PER_SECOND = 100;
  public static final long DEFAULT_DEADLINE_SECONDS = 300;

  public static final int MAX_RATE_PER_SECOND = 1_000_000;

  /** A year: beyond any fleet's drain timeout, and beyond a rebalance of a full pod at 1/s. */
  public static final long MAX_DEADLINE_SECONDS = 31_536_000;

  public static final long MAX_COUNT = 10_000_000;

  /** A larger body is refused with 413; a drain request is about 60 bytes. */
  public static final int MAX_BODY_BYTES = 4096;

  /** A full drain. */
  public static DrainRequest full(int ratePerSecond, long deadlineSeconds) {
    return new DrainRequest(ratePerSecond, deadlineSeconds, null);
  }

  /** A partial drain of {@code count} clients. */
  public static DrainRequest partial(int ratePerSecond, long deadlineSeconds, long count) {
    return new DrainRequest(ratePerSecond, deadlineSeconds, count);
  }

  /** True when the server is to refuse new clients and close all of them. */
  public boolean isFull() {
    return count == null;
  }

  /** The JSON body, absent fields left out, e.g. {@code {"ratePerSecond":200,"count":5}}. */
  public String toJson() {
    StringBuilder json = new StringBuilder("{");
    field(json, RATE_PER_SECOND, ratePerSecond);
    field(json, DEADLINE_SECONDS, deadlineSeconds);
    field(json, COUNT, count);
    return json.append('}').toString();
  }

  private static void field(StringBuilder json, String name, Number value) {
    if (value != null) {
      json.append(json.length() > 1 ? "," : "")
          .append('"')
          .append(name)
          .append("\":")
          .append(value);
    }
  }
}
