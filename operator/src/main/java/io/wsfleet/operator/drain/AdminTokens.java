package io.wsfleet.operator.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fleet's admin token and, after a rotation, the one before it: pods started earlier may still
 * require the previous token until they read the new one, so a caller tries both.
 *
 * @param current the token in the Secret's {@code token} key
 * @param previous the token it replaced, or null when there was none
 */
public record AdminTokens(String current, String previous) {

  public AdminTokens {
    Objects.requireNonNull(current, "current");
    if (current.equals(previous)) {
      previous = null;
    }
  }

  /** The tokens to try, the current one first. */
  public List<String> inOrder() {
    List<String> order = new ArrayList<>(2);
    order.add(current);
    if (previous != null) {
      order.add(previous);
    }
    return order;
  }

  /** Never the tokens themselves: a record's default text would put them in a log line. */
  @Override
  public String toString() {
    return "AdminTokens[previous=" + (previous != null) + "]";
  }
}
