package io.wsfleet.operator.policy;

import java.util.Objects;

/** Ask a serving pod to move {@code count} of its clients elsewhere and keep serving. */
public record PartialDrain(String pod, long count) {

  public PartialDrain {
    Objects.requireNonNull(pod, "pod");
  }
}
