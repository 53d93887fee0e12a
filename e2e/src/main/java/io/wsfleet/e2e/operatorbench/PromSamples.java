package io.wsfleet.e2e.operatorbench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The samples of one Prometheus text exposition (the operator's or the API server's /metrics). */
record PromSamples(List<Sample> samples) {

  /** One line: a metric name, its labels and its value. */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  static PromSamples parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Sample sample = parseLine(line.trim());
      if (sample != null) {
        samples.add(sample);
      }
    }
    return new PromSamples(samples);
  }

  /** The sum of every sample called {@code name} whose labels pass {@code filter}. */
  double sum(String name, Predicate<Sample> filter) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && filter.test(s)) {
        total += s.value();
      }
    }
    return total;
  }

  double sum(String name) {
    return sum(name, s -> true);
  }

  /** Sums of {@code name} grouped by what {@code key} makes of each sample. */
  Map<String, Double> sumBy(String name, java.util.function.Function<Sample, String> key) {
    Map<String, Double> sums = new HashMap<>();
    for (Sample s : samples) {
      if (s.name().equals(name)) {
        sums.merge(key.apply(s), s.value(), Double::sum);
      }
    }
    return sums;
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String name;
    Map<String, String> labels = new HashMap<>();
    int rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      rest = parseLabels(line, brace + 1, labels);
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String[] tail = line.substring(rest).trim().split("\\s+");
    if (tail.length == 0 || tail[0].isEmpty()) {
      return null;
    }
    return new Sample(name, labels, value(tail[0]));
  }

  /** Reads {@code key="value",...}} from {@code at}; returns the index after the closing brace. */
  private static int parseLabels(String line, int at, Map<String, String> labels) {
    int i = at;
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      while (j < line.length() && line.charAt(j) != '"') {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
