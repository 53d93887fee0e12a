package io.wsfleet.e2e.cli;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line arguments of the e2e tools (bench, load, local fleet). */
public final class Args {

  private Args() {}

  public static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[++i]);
    }
    return args;
  }

  public static int integer(Map<String, String> args, String name, int fallback) {
    String value = args.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " " + value + " is not a whole number", e);
    }
  }

  public static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  public static List<String> list(Map<String, String> args, String name) {
    return Arrays.stream(required(args, name).split(",")).map(String::trim).toList();
  }

  public static int[] ints(Map<String, String> args, String name) {
    return list(args, name).stream().mapToInt(Integer::parseInt).toArray();
  }
}
