package io.wsfleet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.wsfleet.operator.api.FleetSettings;
import io.wsfleet.operator.api.WebSocketFleet;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The template hash tells which pods a change must replace (issue 10, defect 13): only the spec
 * fields that need a new pod, read from the user's spec, never from the pod the operator builds.
 */
class TemplateHashesTest {

  private static final String FLEET =
      """
      apiVersion: wsfleet.io/v1alpha1
      kind: WebSocketFleet
      metadata: {name: chat, namespace: apps}
      spec:
        template:
          image: registry.example.com/ws-node:1.2.3
          resources: {requests: {cpu: 500m}}
        capacity: {maxConnectionsPerPod: 5000}
        broker: {type: Redis, redis: {address: "redis:6379"}}
      """;

  /**
   * A fixed spec's hash, pinned: if this changes, upgrading the operator rolls every fleet. Change
   * it only on purpose, and say so in the release notes.
   */
  @Test
  void theHashOfAGivenSpecStaysTheSameAcrossOperatorVersions() {
    assertThat(TemplateHashes.template(fleet(f -> {}))).isEqualTo(PINNED);
  }

  private static final String PINNED = "c96e1fcf6c";

  @Test
  void labelsAnnotationsAndScalingFieldsDoNotRollTheFleet() {
    String before = TemplateHashes.template(fleet(f -> {}));
    WebSocketFleet edited =
        fleet(
            f -> {
              f.getSpec().getTemplate().setLabels(Map.of("team", "chat"));
              f.getSpec().getTemplate().setAnnotations(Map.of("owner", "chat@example.com"));
              f.getSpec().setReplicas(7);
            });

    assertThat(TemplateHashes.template(edited)).isEqualTo(before);
    assertThat(TemplateHashes.metadata(edited))
        .isNotEqualTo(TemplateHashes.metadata(fleet(f -> {})));
  }

  @Test
  void aFieldLeftOutHashesLikeItsDefault() {
    WebSocketFleet explicit =
        fleet(
            f -> {
              f.getSpec().getTemplate().setClientPort(FleetSettings.DEFAULT_CLIENT_PORT);
              f.getSpec().getTemplate().setAdminPort(FleetSettings.DEFAULT_ADMIN_PORT);
            });

    assertThat(TemplateHashes.template(explicit))
        .isEqualTo(TemplateHashes.template(fleet(f -> {})));
  }

  @Test
  void whatNeedsANewPodRollsTheFleet() {
    String before = TemplateHashes.template(fleet(f -> {}));

    assertThat(TemplateHashes.template(fleet(f -> f.getSpec().getTemplate().setImage("x:2"))))
        .isNotEqualTo(before);
    assertThat(
            TemplateHashes.template(
                fleet(f -> f.getSpec().getCapacity().setMaxConnectionsPerPod(6000))))
        .isNotEqualTo(before);
    assertThat(TemplateHashes.template(fleet(f -> f.getSpec().getTemplate().setAdminPort(9999))))
        .isNotEqualTo(before);
  }

  private static WebSocketFleet fleet(Consumer<WebSocketFleet> change) {
    WebSocketFleet fleet = Serialization.unmarshal(FLEET, WebSocketFleet.class);
    change.accept(fleet);
    return fleet;
  }
}
