package io.wsfleet.operator.drain;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * A drain as recorded on the pod itself, so that an operator restarted mid-drain finishes it
 * instead of forgetting or restarting it.
 *
 * @param startedAt when the pod was marked draining
 * @param deadline when the pod is deleted even with clients left
 * @param requested whether the server accepted the drain request
 * @param reason why the pod leaves: scale-down, rollout or manual
 */
public record DrainState(Instant startedAt, Instant deadline, boolean requested, String reason) {

  public static final String STARTED_AT = "wsfleet.io/drain-started-at";
  public static final String DEADLINE = "wsfleet.io/drain-deadline";
  public static final String REQUESTED = "wsfleet.io/drain-requested";
  public static final String REASON = "wsfleet.io/drain-reason";

  /** The reason of a drain that shrinks the fleet. */
  public static final String SCALE_DOWN = "scale-down";

  /** A drain that begins now and may last timeoutSeconds. */
  public static DrainState begin(Instant now, int timeoutSeconds, String reason) {
    return new DrainState(now, now.plusSeconds(timeoutSeconds), false, reason);
  }

  /**
   * Reads the drain from a draining pod's annotations. Unreadable annotations (edited by hand) give
   * a drain whose deadline has passed, so the pod still leaves instead of staying forever.
   */
  public static DrainState from(Map<String, String> annotations, Instant now) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    Optional<Instant> started = parse(a.get(STARTED_AT));
    Optional<Instant> deadline = parse(a.get(DEADLINE));
    return new DrainState(
        started.orElse(now),
        deadline.orElse(now),
        "true".equals(a.get(REQUESTED)),
        a.getOrDefault(REASON, "unknown"));
  }

  public DrainState asRequested() {
    return new DrainState(startedAt, deadline, true, reason);
  }

  /** The annotations that record this drain on the pod. */
  public Map<String, String> annotations() {
    return Map.of(
        STARTED_AT,
        startedAt.toString(),
        DEADLINE,
        deadline.toString(),
        REQUESTED,
        Boolean.toString(requested),
        REASON,
        reason);
  }

  private static Optional<Instant> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
