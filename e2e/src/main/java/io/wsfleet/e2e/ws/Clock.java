package io.wsfleet.e2e.ws;

import java.time.Instant;

/** Wall-clock time in microseconds, comparable between the processes of one machine. */
public final class Clock {

  private Clock() {}

  public static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /** The whole number after {@code key} in {@code text}, or -1; cheaper than parsing JSON. */
  public static long longField(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return -1;
    }
    int i = at + key.length();
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i)) && digits < 19) {
      value = value * 10 + (text.charAt(i) - '0');
      i++;
      digits++;
    }
    return digits == 0 ? -1 : value;
  }
}
