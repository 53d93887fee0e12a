package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;

/** Facts read off a fleet's Pod objects. */
final class FleetPods {

  private FleetPods() {}

  /** The pod's IP once it runs. */
  static Optional<String> ip(Pod pod) {
    return Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).filter(ip -> !ip.isBlank());
  }

  static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
