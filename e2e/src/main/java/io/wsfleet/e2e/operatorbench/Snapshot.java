package io.wsfleet.e2e.operatorbench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;

/** What a phase's figures are the difference of: taken at its start and at its end. */
record Snapshot(
    long nanos, PromSamples operator, PromSamples apiServer, double operatorCpuSeconds) {

  static Snapshot take(OperatorProcess operator, KubernetesClient admin)
      throws IOException, InterruptedException {
    PromSamples api = PromSamples.parse(admin.raw(admin.getMasterUrl().toString() + "metrics"));
    PromSamples own = operator.metrics();
    return new Snapshot(System.nanoTime(), own, api, operator.cpuSeconds());
  }
}
