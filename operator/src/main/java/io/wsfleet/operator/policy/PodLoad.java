package io.wsfleet.operator.policy;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * One pod as the policy sees it.
 *
 * @param connections open connections at the last scrape; empty when the scrape failed
 * @param draining whether the pod is leaving (it no longer counts as capacity)
 */
public record PodLoad(String name, OptionalLong connections, boolean draining, Instant createdAt) {}
