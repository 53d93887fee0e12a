package io.wsfleet.operator.reconciler;

import io.wsfleet.contract.AdminAuth;
import io.wsfleet.operator.api.WebSocketFleet;
import java.util.Map;

/** Names of the labels, annotations and objects the operator puts on a fleet's resources. */
public final class FleetLabels {

  /** Every object of a fleet carries the fleet's name under this label. */
  public static final String FLEET = "wsfleet.io/fleet";

  /** serving or draining: the Service selects serving pods only. */
  public static final String STATE = "wsfleet.io/state";

  public static final String SERVING = "serving";
  public static final String DRAINING = "draining";

  /** Hash of the pod template a pod was made from; a different hash means the pod is outdated. */
  public static final String TEMPLATE_HASH = "wsfleet.io/template-hash";

  /** On a pod started to replace an outdated one during a rollout: the outdated pod's name. */
  public static final String REPLACES = "wsfleet.io/replaces";

  /** On a pod: the hash of the template labels and annotations last applied to it. */
  public static final String METADATA_HASH = "wsfleet.io/metadata-hash";

  /** On a pod: which of its labels (l:key) and annotations (a:key) came from the template. */
  public static final String TEMPLATE_KEYS = "wsfleet.io/template-keys";

  /** When the pod was last asked for a partial drain to rebalance the fleet. */
  public static final String REBALANCED_AT = "wsfleet.io/rebalanced-at";

  /**
   * On the fleet: the spec.replicas the autoscaler last wrote; a different spec.replicas while
   * autoscaling is on was set by someone else.
   */
  public static final String AUTOSCALED_REPLICAS = "wsfleet.io/autoscaled-replicas";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "wsfleet-operator";

  /** The informers watch only what the operator made. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** Key of the admin token in the fleet's Secret. */
  public static final String TOKEN_KEY = AdminAuth.TOKEN_KEY;

  private FleetLabels() {}

  /** The labels every object of the fleet carries. */
  public static Map<String, String> of(WebSocketFleet fleet) {
    return Map.of(FLEET, fleet.getMetadata().getName(), MANAGED_BY, OPERATOR);
  }

  /**
   * The scale subresource's selector: the fleet's serving pods, as the Service selects them. An HPA
   * or KEDA averaging pod metrics over it must not count pods that are draining away.
   */
  public static String selector(WebSocketFleet fleet) {
    return FLEET + "=" + fleet.getMetadata().getName() + "," + STATE + "=" + SERVING;
  }

  public static String secretName(WebSocketFleet fleet) {
    return fleet.getMetadata().getName() + "-admin-token";
  }
}
