package io.wsfleet.operator.drain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * Where a pod's admin API answers: its IP and the admin port it was created with, which may differ
 * from the fleet's current {@code adminPort} until a rollout replaces the pod.
 */
public record AdminEndpoint(String host, int port) {

  /** The name of the admin port on the server container. */
  public static final String PORT_NAME = "admin";

  /**
   * The pod's endpoint once it has an IP: the port comes from its container port named "admin", or
   * {@code fallbackPort} for a pod that names none.
   */
  public static Optional<AdminEndpoint> of(Pod pod, int fallbackPort) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new AdminEndpoint(ip, port(pod).orElse(fallbackPort)));
  }

  private static Optional<Integer> port(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    return pod.getSpec().getContainers().stream()
        .map(Container::getPorts)
        .filter(ports -> ports != null)
        .flatMap(List::stream)
        .filter(p -> PORT_NAME.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .filter(p -> p != null)
        .findFirst();
  }
}
