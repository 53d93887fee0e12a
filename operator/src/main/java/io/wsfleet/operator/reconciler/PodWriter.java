package io.wsfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Writes pods and tells the pod informer at once, so the next reconcile sees its own writes even
 * before their watch events arrive (no double creates, no second drain).
 */
final class PodWriter {

  private final KubernetesClient client;
  private final InformerEventSource<Pod, ?> informer;
  private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

  PodWriter(KubernetesClient client, InformerEventSource<Pod, ?> informer) {
    this.client = client;
    this.informer = informer;
  }

  Pod create(Pod pod) {
    Pod created = client.pods().resource(pod).create();
    informer.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    return created;
  }

  Pod edit(Pod pod, UnaryOperator<Pod> change) {
    Pod updated =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .edit(change);
    informer.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, pod);
    return updated;
  }

  void delete(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .delete();
    deleted.put(pod.getMetadata().getUid(), Instant.now());
  }

  /**
   * Whether this operator deleted the pod already: the cache may show it unchanged until the watch
   * event arrives, and a second pass must not drain, count or report it again.
   */
  boolean deleted(Pod pod) {
    return deleted.containsKey(pod.getMetadata().getUid());
  }

  /** Forgets deletions the watch has long since caught up with. */
  void forgetOldDeletes(Instant now) {
    deleted.values().removeIf(at -> at.plus(Duration.ofMinutes(5)).isBefore(now));
  }
}
