package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.wsfleet.operator.api.WebSocketFleet;
import io.wsfleet.operator.drain.AdminTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Secret holding the token that the fleet's servers require on their admin API. Generated once
 * and kept: a new token on every reconcile would lock the operator out of running pods. When the
 * Secret is deleted a new token replaces it, and when its token is edited the new one is kept; in
 * both cases the token before it stays in the {@value #PREVIOUS_KEY} key, because pods started
 * earlier still require it until they read the new one (and an operator restarted mid-rotation must
 * still know it).
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class AdminTokenSecret extends CRUDKubernetesDependentResource<Secret, WebSocketFleet> {

  /** Key of the token the current one replaced. */
  public static final String PREVIOUS_KEY = "previous-token";

  private static final SecureRandom RANDOM = new SecureRandom();

  // The token last seen in each fleet's Secret (base64), to carry over when the Secret goes.
  private final Map<ResourceID, String> lastSeen = new ConcurrentHashMap<>();

  public AdminTokenSecret() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(WebSocketFleet fleet, Context<WebSocketFleet> context) {
    ResourceID id = ResourceID.fromResource(fleet);
    Optional<Map<String, String>> data =
        context.getSecondaryResource(Secret.class).map(Secret::getData);
    Optional<String> existing = data.map(d -> d.get(FleetLabels.TOKEN_KEY));
    String current = existing.orElseGet(AdminTokenSecret::newToken);
    String remembered = lastSeen.get(id);
    String previous =
        remembered != null && !remembered.equals(current)
            ? remembered
            : data.map(d -> d.get(PREVIOUS_KEY)).orElse(null);
    existing.ifPresent(token -> lastSeen.put(id, token));
    SecretBuilder secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(FleetLabels.secretName(fleet))
            .withNamespace(fleet.getMetadata().getNamespace())
            .withLabels(FleetLabels.of(fleet))
            .endMetadata()
            .withType("Opaque")
            .addToData(FleetLabels.TOKEN_KEY, current);
    if (previous != null && !previous.equals(current)) {
      secret.addToData(PREVIOUS_KEY, previous);
    }
    return secret.build();
  }

  /** The decoded tokens of the fleet's Secret, once it exists. */
  public static Optional<AdminTokens> tokens(Optional<Secret> secret) {
    Optional<Map<String, String>> data = secret.map(Secret::getData);
    return data.map(d -> d.get(FleetLabels.TOKEN_KEY))
        .map(AdminTokenSecret::decode)
        .map(
            current ->
                new AdminTokens(
                    current,
                    data.map(d -> d.get(PREVIOUS_KEY)).map(AdminTokenSecret::decode).orElse(null)));
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static String newToken() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }
}
