package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.policy.ScalingDecision;
import io.wsfleet.operator.policy.ScalingSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out {@link ReplicasSync}: patches the fleet's spec.replicas and reports overrides. */
final class SpecReplicasWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SpecReplicasWriter.class);
  private static final String RECORD_PATH =
      "/metadata/annotations/" + FleetLabels.AUTOSCALED_REPLICAS.replace("/", "~1");

  private final KubernetesClient client;
  private final FleetEvents events;

  SpecReplicasWriter(KubernetesClient client, FleetEvents events) {
    this.client = client;
    this.events = events;
  }

  /** Brings spec.replicas in line with the decision; returns the fleet as it now is. */
  WebSocketFleet sync(WebSocketFleet fleet, ScalingDecision decision) {
    ScalingSettings settings = ScalingSettings.from(fleet.getSpec());
    ReplicasSync sync =
        ReplicasSync.decide(
            settings.enabled(), settings.replicas(), recorded(fleet), decision.desiredServing());
    try {
      if (sync.forget()) {
        Map<String, Object> annotations = new HashMap<>();
        annotations.put(FleetLabels.AUTOSCALED_REPLICAS, null);
        return patch(
            fleet, PatchType.JSON_MERGE, Map.of("metadata", Map.of("annotations", annotations)));
      }
      if (sync.write() == null) {
        return fleet;
      }
      WebSocketFleet patched = patch(fleet, PatchType.JSON, writeOps(fleet, sync.write()));
      report(fleet, sync, decision);
      return patched;
    } catch (KubernetesClientException e) {
      // 422: the spec changed since this reconcile read it (the test op failed), e.g. autoscaling
      // was just turned off; the next reconcile decides on the new spec. Anything else is logged:
      // the fleet still scales, only the hand-over to manual mode is at risk.
      if (e.getCode() == 422 || e.getCode() == 409) {
        LOG.debug(
            "event=spec-replicas-not-written fleet={}/{} code={}",
            fleet.getMetadata().getNamespace(),
            fleet.getMetadata().getName(),
            e.getCode());
      } else {
        LOG.warn(
            "event=spec-replicas-not-written fleet={}/{} code={} error={}",
            fleet.getMetadata().getNamespace(),
            fleet.getMetadata().getName(),
            e.getCode(),
            e.getMessage());
      }
      return fleet;
    }
  }

  /**
   * Sets spec.replicas and its record only if the spec is still the one decided on: a user who
   * turns autoscaling off and sets replicas in one edit must not be overwritten by a decision made
   * on the spec before.
   */
  private static List<Map<String, Object>> writeOps(WebSocketFleet fleet, int replicas) {
    Map<String, String> annotations = fleet.getMetadata().getAnnotations();
    Map<String, Object> record =
        annotations == null || annotations.isEmpty()
            ? op(
                "add",
                "/metadata/annotations",
                Map.of(FleetLabels.AUTOSCALED_REPLICAS, Integer.toString(replicas)))
            : op("add", RECORD_PATH, Integer.toString(replicas));
    return List.of(
        op("test", "/metadata/generation", fleet.getMetadata().getGeneration()),
        op("add", "/spec/replicas", replicas),
        record);
  }

  private void report(WebSocketFleet fleet, ReplicasSync sync, ScalingDecision decision) {
    String name = fleet.getMetadata().getName();
    LOG.info(
        "event=spec-replicas fleet={}/{} from={} to={} overridden={}",
        fleet.getMetadata().getNamespace(),
        name,
        fleet.getSpec().getReplicas(),
        sync.write(),
        sync.ignored() != null);
    if (sync.ignored() != null) {
      events.warning(
          fleet,
          "ScaleIgnored",
          String.format(
              "spec.replicas was set to %d while autoscaling is on; the autoscaler set it back to"
                  + " %d (%s). To size the fleet by hand, turn autoscaling off first: kubectl"
                  + " patch wsfleet %s --type merge -p"
                  + " '{\"spec\":{\"autoscaling\":{\"enabled\":false}}}' (the fleet keeps its"
                  + " %d pods), then kubectl scale it",
              sync.ignored(), sync.write(), decision.message(), name, sync.write()));
    }
  }

  private WebSocketFleet patch(WebSocketFleet fleet, PatchType type, Object body) {
    return client
        .resources(WebSocketFleet.class)
        .inNamespace(fleet.getMetadata().getNamespace())
        .withName(fleet.getMetadata().getName())
        .patch(PatchContext.of(type), Serialization.asJson(body));
  }

  private static Integer recorded(WebSocketFleet fleet) {
    Map<String, String> annotations = fleet.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(FleetLabels.AUTOSCALED_REPLICAS);
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> o = new HashMap<>();
    o.put("op", op);
    o.put("path", path);
    o.put("value", value);
    return o;
  }
}
