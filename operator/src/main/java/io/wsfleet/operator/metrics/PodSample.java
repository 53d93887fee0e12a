package io.wsfleet.operator.metrics;

import io.javaoperatorsdk.operator.processing.ResourceIDProvider;
import java.util.OptionalLong;

/**
 * One scrape of one pod: its connection count, or why there is none.
 *
 * @param pod the pod's name
 * @param connections open WebSocket connections; empty when the scrape failed or the pod has no
 *     address yet
 * @param error why the scrape failed, or null
 * @param consecutiveFailures scrapes of this pod that failed in a row, this one included
 */
public record PodSample(String pod, OptionalLong connections, String error, int consecutiveFailures)
    implements ResourceIDProvider<String> {

  public static PodSample ok(String pod, long connections) {
    return new PodSample(pod, OptionalLong.of(connections), null, 0);
  }

  public static PodSample failed(String pod, String error, int consecutiveFailures) {
    return new PodSample(pod, OptionalLong.empty(), error, consecutiveFailures);
  }

  @Override
  public String resourceId() {
    return pod;
  }
}
