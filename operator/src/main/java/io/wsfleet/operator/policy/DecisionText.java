package io.wsfleet.operator.policy;

import io.wsfleet.operator.policy.ScalingDecision.Reason;
import java.util.List;
import java.util.Locale;

/** The human-readable message of a decision, with the numbers a platform team acts on. */
final class DecisionText {

  private DecisionText() {}

  static String manual(int current, int desired) {
    return String.format(
        Locale.ROOT,
        "autoscaling off: spec.replicas is %d, %s; %s",
        desired,
        pods(current, "serving pod"),
        change(current, desired));
  }

  static String autoscaled(
      ScalingSettings s,
      FleetLoad load,
      int raw,
      int desired,
      Reason reason,
      PanicState panic,
      List<PartialDrain> rebalance) {
    int current = load.servingCount();
    StringBuilder text = new StringBuilder();
    if (panic.active()) {
      text.append(
          String.format(Locale.ROOT, "panic until %s (%s): ", panic.until(), panic.cause()));
    }
    text.append(String.format(Locale.ROOT, "%,d connections", load.demandMissingAsEmpty()));
    if (load.drainingConnections() > 0) {
      text.append(
          String.format(Locale.ROOT, " (%,d on draining pods)", load.drainingConnections()));
    }
    text.append(
        String.format(
            Locale.ROOT,
            " on %s (target %,d/pod) need %s",
            pods(current, "serving pod"),
            s.targetPerPod(),
            pods(raw, "pod")));
    if (load.missingMetrics() > 0) {
      text.append(
          String.format(
              Locale.ROOT,
              " (%s without metrics: empty for scale-up, full for scale-down)",
              pods(load.missingMetrics(), "pod")));
    }
    text.append(tail(s, current, desired, reason));
    if (!rebalance.isEmpty()) {
      text.append(String.format(Locale.ROOT, "; rebalancing %s", pods(rebalance.size(), "pod")));
    }
    return text.toString();
  }

  private static String tail(ScalingSettings s, int current, int desired, Reason reason) {
    String change = change(current, desired);
    return switch (reason) {
      case AT_MAX -> "; capped at maxReplicas " + s.maxReplicas() + "; " + change;
      case AT_MIN -> "; kept at minReplicas " + s.minReplicas() + "; " + change;
      case SCALE_UP ->
          "; " + change + stepNote(desired - current, s.upMaxPodsPerStep(), current > 0);
      case SCALE_DOWN ->
          (current > s.maxReplicas() ? "; above maxReplicas " + s.maxReplicas() : "")
              + "; "
              + change
              + stepNote(current - desired, s.downMaxPodsPerStep(), true);
      case PANIC -> "; " + change + (desired == current ? ", no scale-down while panicking" : "");
      case WAITING_FOR_WINDOW ->
          String.format(
              Locale.ROOT,
              "; %s until the stabilization window (up %ds, down %ds) allows a change",
              change,
              s.upWindow().toSeconds(),
              s.downWindow().toSeconds());
      case STEP_LIMIT ->
          String.format(
              Locale.ROOT,
              "; %s until the step limit allows a change (up %d per %ds, down %d per %ds, at most"
                  + " %d draining at once)",
              change,
              s.upMaxPodsPerStep(),
              s.upPeriod().toSeconds(),
              s.downMaxPodsPerStep(),
              s.downPeriod().toSeconds(),
              s.maxConcurrentDrains());
      case STEADY, MANUAL -> "; " + change;
    };
  }

  private static String stepNote(int delta, int step, boolean limited) {
    return limited && delta == step ? " (at most " + step + " per step)" : "";
  }

  private static String change(int current, int desired) {
    if (desired > current) {
      return "adding " + (desired - current);
    }
    return desired < current ? "draining " + (current - desired) : "keeping " + current;
  }

  private static String pods(long count, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", count, noun, count == 1 ? "" : "s");
  }
}
