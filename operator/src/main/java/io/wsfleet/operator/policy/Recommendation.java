package io.wsfleet.operator.policy;

import java.time.Instant;

/** A pod count the policy recommended at some moment, kept for the stabilization windows. */
public record Recommendation(Instant at, int replicas) {}
