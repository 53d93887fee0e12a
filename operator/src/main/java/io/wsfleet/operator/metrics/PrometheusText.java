package io.wsfleet.operator.metrics;

import java.util.OptionalDouble;

/** Reads one unlabelled sample out of Prometheus text exposition format. */
public final class PrometheusText {

  private PrometheusText() {}

  /** The value of {@code name} (a sample without labels), if the text holds one. */
  public static OptionalDouble value(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name) && line.length() > name.length()) {
        char next = line.charAt(name.length());
        if (next == ' ' || next == '\t') {
          String[] fields = line.substring(name.length()).trim().split("\\s+");
          try {
            return OptionalDouble.of(Double.parseDouble(fields[0]));
          } catch (NumberFormatException e) {
            return OptionalDouble.empty();
          }
        }
      }
    }
    return OptionalDouble.empty();
  }
}
