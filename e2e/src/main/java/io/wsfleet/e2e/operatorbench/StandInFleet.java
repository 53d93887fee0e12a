package io.wsfleet.e2e.operatorbench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients of one fleet as the node stand-in models them: a total the benchmark sets, spread
 * evenly over the serving pods (each at most its cap); a draining pod's clients fall at the asked
 * rate and reconnect to the serving pods, so the total stays what was set.
 */
final class StandInFleet {

  private final List<StandInPod> pods = new CopyOnWriteArrayList<>();
  private volatile long clients;

  StandInFleet(long clients) {
    this.clients = clients;
  }

  void setClients(long clients) {
    this.clients = clients;
  }

  void add(StandInPod pod) {
    pods.add(pod);
  }

  void remove(StandInPod pod) {
    pods.remove(pod);
  }

  /** What {@code pod} reports as {@code wsnode_connections} at {@code now}. */
  long connections(StandInPod pod, long now) {
    if (pod.draining()) {
      return pod.drainRemaining(now);
    }
    long held = 0;
    int serving = 0;
    int position = -1;
    for (StandInPod other : pods) {
      if (other.draining()) {
        held += other.drainRemaining(now);
      } else {
        if (other == pod) {
          position = serving;
        }
        serving++;
      }
    }
    if (position < 0) {
      return 0; // removed meanwhile
    }
    long pool = Math.max(0, clients - held);
    long share = pool / serving + (position < pool % serving ? 1 : 0);
    return Math.min(share, pod.maxConnections);
  }
}
