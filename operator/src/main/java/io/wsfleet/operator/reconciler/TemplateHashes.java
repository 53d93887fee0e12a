package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.wsfleet.operator.api.FleetPodTemplate;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The two hashes that tell a pod's age. The template hash covers only the spec fields that need a
 * new pod, read from the user's spec rather than from the pod the operator builds, so an operator
 * upgrade that changes how pods are built does not roll every fleet. The metadata hash covers the
 * template's labels and annotations, which are patched onto running pods in place.
 */
public final class TemplateHashes {

  private TemplateHashes() {}

  /** Changes when the fleet needs new pods: image, resources, env, scheduling, ports, limits. */
  public static String template(WebSocketFleet fleet) {
    FleetPodTemplate t = template0(fleet);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("image", Optional.ofNullable(t.getImage()).orElse(FleetSettings.DEFAULT_IMAGE));
    source.put("imagePullPolicy", PodFactory.pullPolicy(t));
    source.put("resources", t.getResources());
    source.put("env", t.getEnv());
    source.put("nodeSelector", t.getNodeSelector());
    source.put("tolerations", t.getTolerations());
    source.put("priorityClassName", t.getPriorityClassName());
    source.put("clientPort", FleetSettings.clientPort(fleet));
    source.put("adminPort", FleetSettings.adminPort(fleet));
    source.put("maxConnectionsPerPod", FleetSettings.maxConnectionsPerPod(fleet));
    source.put("drainTimeoutSeconds", FleetSettings.drainTimeoutSeconds(fleet));
    source.put("reconnectDelayMaxMillis", FleetSettings.reconnectDelayMaxMillis(fleet));
    source.put("broker", fleet.getSpec().getBroker());
    return hash(Serialization.asJson(source));
  }

  /** Changes when the template's labels or annotations do. */
  public static String metadata(WebSocketFleet fleet) {
    FleetPodTemplate t = template0(fleet);
    return hash(
        Serialization.asJson(Optional.ofNullable(t.getLabels()).orElse(Map.of()))
            + Serialization.asJson(Optional.ofNullable(t.getAnnotations()).orElse(Map.of())));
  }

  private static FleetPodTemplate template0(WebSocketFleet fleet) {
    return Optional.ofNullable(fleet.getSpec().getTemplate()).orElseGet(FleetPodTemplate::new);
  }

  private static String hash(String source) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
