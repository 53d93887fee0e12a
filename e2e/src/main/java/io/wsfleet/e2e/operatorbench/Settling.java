package io.wsfleet.e2e.operatorbench;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** When a phase has settled, and waiting for it with a limit that makes the setup broken. */
final class Settling {

  private Settling() {}

  /** Every fleet has exactly {@code pods} pods, all serving, running and registered. */
  static boolean settled(LightKubelet kubelet, BenchScenario scenario, int pods) {
    Map<String, Integer> ready = new HashMap<>();
    int others = 0;
    for (Pod pod : kubelet.pods()) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      boolean serving =
          "serving".equals(labels.get("wsfleet.io/state"))
              && pod.getMetadata().getDeletionTimestamp() == null
              && pod.getStatus() != null
              && pod.getStatus().getPodIP() != null;
      if (serving) {
        ready.merge(labels.get("wsfleet.io/fleet"), 1, Integer::sum);
      } else {
        others++;
      }
    }
    if (others > 0) {
      return false;
    }
    for (int i = 0; i < scenario.fleets(); i++) {
      if (ready.getOrDefault(scenario.fleetName(i), 0) != pods) {
        return false;
      }
    }
    return true;
  }

  static void awaitOrBreak(String what, int seconds, OperatorProcess operator, BooleanSupplier done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (!operator.alive()) {
        throw new OperatorBench.SetupBroke("the operator exited while waiting for " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new OperatorBench.SetupBroke("no " + what + " within " + seconds + " s");
      }
      TimeUnit.MILLISECONDS.sleep(200); // polling a condition of several processes
    }
  }
}
