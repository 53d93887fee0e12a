package io.wsfleet.localcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod status a kubelet reports for a running pod, for the operator tests' kubelet stand-in
 * (FakeKubelet), which runs each pod as an in-process ws-node.
 */
public final class KubeletStatus {

  private KubeletStatus() {}

  /** Marks {@code pod} Running at {@code ip}, Ready or not; returns it for editStatus. */
  public static Pod running(Pod pod, String ip, boolean ready) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    pod.getStatus().setPhase("Running");
    pod.getStatus().setPodIP(ip);
    pod.getStatus().setPodIPs(List.of(new PodIP(ip)));
    if (pod.getStatus().getStartTime() == null) {
      pod.getStatus().setStartTime(now);
    }
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", true, now));
    conditions.add(condition("Initialized", true, now));
    conditions.add(condition("ContainersReady", ready, now));
    conditions.add(condition("Ready", ready, now));
    pod.getStatus().setConditions(conditions);
    return pod;
  }

  private static PodCondition condition(String type, boolean status, String now) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(now)
        .build();
  }
}
