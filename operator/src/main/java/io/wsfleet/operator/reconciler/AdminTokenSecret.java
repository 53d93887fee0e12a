package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.wsfleet.operator.api.WebSocketFleet;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The Secret holding the token that the fleet's servers require on their admin API. Generated once
 * and kept: a new token on every reconcile would lock the operator out of running pods.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class AdminTokenSecret extends CRUDKubernetesDependentResource<Secret, WebSocketFleet> {

  private static final SecureRandom RANDOM = new SecureRandom();

  public AdminTokenSecret() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(WebSocketFleet fleet, Context<WebSocketFleet> context) {
    String encoded =
        context
            .getSecondaryResource(Secret.class)
            .map(Secret::getData)
            .map(data -> data.get(FleetLabels.TOKEN_KEY))
            .orElseGet(AdminTokenSecret::newToken);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(FleetLabels.secretName(fleet))
        .withNamespace(fleet.getMetadata().getNamespace())
        .withLabels(FleetLabels.of(fleet))
        .endMetadata()
        .withType("Opaque")
        .addToData(FleetLabels.TOKEN_KEY, encoded)
        .build();
  }

  /** The decoded token of the fleet's Secret, once it exists. */
  public static Optional<String> token(Optional<Secret> secret) {
    return secret
        .map(Secret::getData)
        .map(data -> data.get(FleetLabels.TOKEN_KEY))
        .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
  }

  private static String newToken() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }
}
