package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wsfleet.operator.api.WebSocketFleet;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on a fleet, so `kubectl describe wsfleet` tells its story. */
public final class FleetEvents {

  private static final Logger LOG = LoggerFactory.getLogger(FleetEvents.class);
  private static final String COMPONENT = "wsfleet-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public FleetEvents(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void normal(WebSocketFleet fleet, String reason, String message) {
    record(fleet, "Normal", reason, message);
  }

  public void warning(WebSocketFleet fleet, String reason, String message) {
    record(fleet, "Warning", reason, message);
  }

  private void record(WebSocketFleet fleet, String type, String reason, String message) {
    String now =
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                fleet.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(fleet.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(fleet.getApiVersion())
            .withKind(fleet.getKind())
            .withName(fleet.getMetadata().getName())
            .withNamespace(fleet.getMetadata().getNamespace())
            .withUid(fleet.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(fleet.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy to humans; losing one must not fail the reconcile.
      LOG.warn(
          "event=event-not-recorded fleet={} reason={} error={}",
          fleet.getMetadata().getName(),
          reason,
          e.getMessage());
    }
  }

  /** The API server's own words for a failed request, or the error's message. */
  static String apiMessage(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof KubernetesClientException k
          && k.getStatus() != null
          && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
    }
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
