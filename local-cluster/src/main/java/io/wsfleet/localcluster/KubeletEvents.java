package io.wsfleet.localcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

/**
 * What the kubelet stand-ins here react to: a pod appeared in their namespace, or a pod is going
 * (marked for deletion, or already gone). Going may be reported more than once per pod.
 */
public final class KubeletEvents {

  private KubeletEvents() {}

  /** Informs on {@code namespace}'s pods until the returned informer is closed. */
  public static SharedIndexInformer<Pod> inform(
      KubernetesClient client, String namespace, Consumer<Pod> appeared, Consumer<Pod> going) {
    return client
        .pods()
        .inNamespace(namespace)
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Pod pod) {
                appeared.accept(pod);
              }

              @Override
              public void onUpdate(Pod old, Pod pod) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                  going.accept(pod);
                }
              }

              @Override
              public void onDelete(Pod pod, boolean unknownFinalState) {
                going.accept(pod);
              }
            });
  }
}
