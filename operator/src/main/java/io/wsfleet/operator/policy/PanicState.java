package io.wsfleet.operator.policy;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;

/**
 * Knative-style panic mode: on when pods near their cap or the fleet runs far above target, and
 * held for the panic window after the last trigger.
 */
record PanicState(boolean active, Instant until, String cause) {

  static final PanicState OFF = new PanicState(false, null, "");

  static PanicState evaluate(
      ScalingSettings s, FleetLoad load, Instant previousUntil, Instant now) {
    String trigger = trigger(s, load);
    if (!trigger.isEmpty()) {
      return new PanicState(true, now.plus(s.panicWindow()), trigger);
    }
    if (previousUntil != null && now.isBefore(previousUntil)) {
      return new PanicState(true, previousUntil, "held");
    }
    return OFF;
  }

  /**
   * Pods without metrics neither trigger panic nor dilute the average: panic only reacts to load
   * that was actually seen.
   */
  private static String trigger(ScalingSettings s, FleetLoad load) {
    PodLoad hottest =
        load.serving().stream()
            .filter(p -> p.connections().isPresent())
            .max(
                Comparator.comparingLong((PodLoad p) -> p.connections().getAsLong())
                    .thenComparing(PodLoad::name, Comparator.reverseOrder()))
            .orElse(null);
    if (hottest == null) {
      return "";
    }
    long top = hottest.connections().getAsLong();
    if (top * 100 >= (long) s.panicCapPercent() * s.maxPerPod()) {
      return String.format(
          Locale.ROOT,
          "pod %s holds %,d of its %,d cap, panic at %d%%",
          hottest.name(),
          top,
          s.maxPerPod(),
          s.panicCapPercent());
    }
    long sum = load.servingConnections();
    int n = load.servingWithMetrics();
    if (sum * 100 >= (long) s.panicTargetPercent() * s.targetPerPod() * n) {
      return String.format(
          Locale.ROOT,
          "average %,d/pod, panic at %d%% of target %,d",
          sum / n,
          s.panicTargetPercent(),
          s.targetPerPod());
    }
    return "";
  }
}
