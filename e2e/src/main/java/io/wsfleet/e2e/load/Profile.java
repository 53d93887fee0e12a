package io.wsfleet.e2e.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A load profile: phases run in order, e.g. {@code "ramp 2000 60, hold 30, ramp 400 30"}. */
public record Profile(List<Phase> phases) {

  /** {@code ramp}: move linearly to {@code clients} over {@code seconds}; {@code hold}: wait. */
  public record Phase(Kind kind, int clients, int seconds) {

    /** What a phase does. */
    public enum Kind {
      RAMP,
      HOLD
    }

    @Override
    public String toString() {
      return kind == Kind.RAMP ? "ramp " + clients + " " + seconds : "hold " + seconds;
    }
  }

  public Profile {
    phases = List.copyOf(phases);
  }

  /**
   * Parses phases separated by commas, semicolons or new lines; {@code #} starts a comment, so a
   * profile file reads the same as the flag.
   */
  public static Profile parse(String text) {
    List<Phase> phases = new ArrayList<>();
    for (String line : text.split("\n")) {
      int comment = line.indexOf('#');
      String content = comment < 0 ? line : line.substring(0, comment);
      for (String part : content.split("[,;]")) {
        if (!part.isBlank()) {
          phases.add(phase(part.trim()));
        }
      }
    }
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("the profile has no phases");
    }
    return new Profile(phases);
  }

  private static Phase phase(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).split("\\s+");
    try {
      if (words[0].equals("ramp") && (words.length == 3 || words.length == 4)) {
        // "ramp 2000 60" or "ramp 2000 over 60"
        int seconds = Integer.parseInt(words[words.length - 1].replaceFirst("s$", ""));
        if (words.length == 4 && !words[2].equals("over")) {
          throw new IllegalArgumentException("bad phase '" + text + "'");
        }
        return checked(new Phase(Phase.Kind.RAMP, Integer.parseInt(words[1]), seconds), text);
      }
      if (words[0].equals("hold") && words.length == 2) {
        int seconds = Integer.parseInt(words[1].replaceFirst("s$", ""));
        return checked(new Phase(Phase.Kind.HOLD, 0, seconds), text);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad phase '" + text + "': not a whole number", e);
    }
    throw new IllegalArgumentException(
        "bad phase '" + text + "': expected 'ramp <clients> <seconds>' or 'hold <seconds>'");
  }

  private static Phase checked(Phase phase, String text) {
    if (phase.clients() < 0 || phase.seconds() < 0) {
      throw new IllegalArgumentException("bad phase '" + text + "': negative number");
    }
    return phase;
  }

  /** The most clients any phase asks for. */
  public int peakClients() {
    return phases.stream().mapToInt(Phase::clients).max().orElse(0);
  }

  public int totalSeconds() {
    return phases.stream().mapToInt(Phase::seconds).sum();
  }

  @Override
  public String toString() {
    return String.join(", ", phases.stream().map(Phase::toString).toList());
  }
}
