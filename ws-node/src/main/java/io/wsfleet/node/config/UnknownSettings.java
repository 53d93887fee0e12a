package io.wsfleet.node.config;

import io.wsfleet.contract.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds WSNODE_* variables that are no setting, each named with the closest known one: a typo in a
 * fleet's template env would otherwise leave the setting at its default without a word.
 */
final class UnknownSettings {

  private UnknownSettings() {}

  /** One message per unknown WSNODE_* name in {@code env}, in name order. */
  static List<String> errors(Collection<String> env, Set<String> known) {
    List<String> errors = new ArrayList<>();
    for (String name : new TreeSet<>(env)) {
      if (name.startsWith(Settings.PREFIX) && !known.contains(name)) {
        String closest =
            known.stream()
                .min(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k))
                .orElse("none");
        errors.add(name + " is not a ws-node setting (did you mean " + closest + "?)");
      }
    }
    return errors;
  }

  /** Levenshtein distance: the fewest single-character edits from a to b. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
