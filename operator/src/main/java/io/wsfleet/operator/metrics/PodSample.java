package io.wsfleet.operator.metrics;

import io.javaoperatorsdk.operator.processing.ResourceIDProvider;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One scrape of one pod: its connection count, or why there is none, and when it was taken.
 *
 * @param pod the pod's name
 * @param connections open WebSocket connections; empty when the scrape failed or the pod has no
 *     address yet
 * @param error why the scrape failed, or null
 * @param consecutiveFailures scrapes of this pod that failed in a row, this one included
 * @param takenAt when the request was sent (for a count) or the failure seen
 */
public record PodSample(
    String pod, OptionalLong connections, String error, int consecutiveFailures, Instant takenAt)
    implements ResourceIDProvider<String> {

  public static PodSample ok(String pod, long connections, Instant takenAt) {
    return new PodSample(pod, OptionalLong.of(connections), null, 0, takenAt);
  }

  public static PodSample failed(
      String pod, String error, int consecutiveFailures, Instant takenAt) {
    return new PodSample(pod, OptionalLong.empty(), error, consecutiveFailures, takenAt);
  }

  /** Whether both say the same about the pod, whenever they were taken. */
  public boolean sameReading(PodSample other) {
    return other != null
        && pod.equals(other.pod)
        && connections.equals(other.connections)
        && Objects.equals(error, other.error)
        && consecutiveFailures == other.consecutiveFailures;
  }

  @Override
  public String resourceId() {
    return pod;
  }

  /** A pod's connections for events and messages: the count, or "unknown" without a sample. */
  public static String connectionsText(OptionalLong connections) {
    return connections.isPresent() ? Long.toString(connections.getAsLong()) : "unknown";
  }
}
