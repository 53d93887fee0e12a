package io.wsfleet.operator.reconciler;

import io.wsfleet.operator.metrics.PodSample;
import io.wsfleet.operator.plan.PodPlan;
import io.wsfleet.operator.policy.ScalingDecision;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one reconcile saw and did, for the status.
 *
 * @param scaledAt when this pass changed the fleet's size, or null
 * @param failingScrapes samples of counted pods whose scrapes keep failing
 * @param dependentErrors what the API said when the Secret, Service or budget could not be written
 */
record FleetFacts(
    PodPlan plan,
    ScalingDecision decision,
    Map<String, PodSample> samples,
    Instant scaledAt,
    List<PodSample> failingScrapes,
    List<String> dependentErrors) {}
