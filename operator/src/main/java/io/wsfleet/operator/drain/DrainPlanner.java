package io.wsfleet.operator.drain;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Decides the next step of one pod's drain from what is recorded and observed; no I/O. */
public final class DrainPlanner {

  /** What the operator does next for a draining pod. */
  public enum Step {
    /** Ask the server to drain (again, if it never confirmed; a full drain is idempotent). */
    REQUEST,
    /** Clients are still leaving; look again at the next scrape. */
    WAIT,
    /** A scrape taken since the drain began reports no connections: delete the pod. */
    DELETE_DRAINED,
    /** The deadline passed with clients left (or unknown): delete the pod anyway. */
    DELETE_TIMED_OUT
  }

  private DrainPlanner() {}

  /**
   * The next step. Connections are empty when the last scrape of the pod failed: the operator then
   * waits for the deadline rather than guess that the pod is empty. A count taken before the drain
   * began says nothing about the clients that joined since, so only a later one can end it.
   *
   * @param sampledAt when the connection count was taken, empty without a count
   */
  public static Step next(
      DrainState drain, OptionalLong connections, Optional<Instant> sampledAt, Instant now) {
    boolean empty =
        connections.isPresent()
            && connections.getAsLong() == 0
            && sampledAt.isPresent()
            && sampledAt.get().isAfter(drain.startedAt());
    if (drain.requested() && empty) {
      return Step.DELETE_DRAINED;
    }
    if (!now.isBefore(drain.deadline())) {
      return empty ? Step.DELETE_DRAINED : Step.DELETE_TIMED_OUT;
    }
    return drain.requested() ? Step.WAIT : Step.REQUEST;
  }
}
