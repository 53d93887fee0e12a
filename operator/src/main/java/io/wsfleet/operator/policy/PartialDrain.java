package io.wsfleet.operator.policy;

/** Ask {@code pod} to move {@code count} of its clients to other pods. */
public record PartialDrain(String pod, long count) {}
