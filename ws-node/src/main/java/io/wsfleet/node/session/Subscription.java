package io.wsfleet.node.session;

import io.wsfleet.node.protocol.ServerFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's interest in one channel. Delivers each offset at most once and in order; while the
 * client catches up from history, live messages wait in a buffer. Catch-ups may overlap (a
 * subscribe with {@code since}, then a broker feed reconnect): the buffer is released when the last
 * one ends.
 */
final class Subscription {

  final Session session;
  final String channel;

  /** Neighbours in the {@link ChannelRegistry}'s list of the channel's subscriptions. */
  Subscription prev;

  Subscription next;
  long lastOffset;

  /** The epoch {@link #lastOffset} counts in; null when a resuming client did not say. */
  String epoch;

  private List<Object> pending = new ArrayList<>(0);
  private int catchUps = 1;

  /** Whether the client was told it is subscribed, which fixes where its stream starts. */
  boolean confirmed;

  /** Messages may have been missed and could not be fetched: a jump is announced, not silent. */
  boolean gapUnknown;

  Subscription(Session session, String channel) {
    this.session = session;
    this.channel = channel;
  }

  boolean catchingUp() {
    return pending != null;
  }

  /** Holds a live message back until the catch-up from history is done. */
  void buffer(long offset, String frame) {
    pending.add(offset);
    pending.add(frame);
  }

  boolean deliver(long offset, String frame) {
    if (offset <= lastOffset) {
      return false;
    }
    if (gapUnknown) {
      gapUnknown = false;
      if (offset > lastOffset + 1) {
        session.send(ServerFrames.truncated(channel, lastOffset, offset));
      }
    }
    lastOffset = offset;
    session.send(frame);
    return true;
  }

  /** Starts one more catch-up from history: live messages wait until it ends. */
  void holdBack() {
    if (pending == null) {
      pending = new ArrayList<>(0);
    }
    catchUps++;
  }

  /**
   * Ends one catch-up; when it was the last, buffered live messages follow what history delivered.
   * Returns how many were sent.
   */
  int release() {
    if (--catchUps > 0) {
      return 0;
    }
    List<Object> buffered = pending;
    pending = null;
    int sent = 0;
    for (int i = 0; i < buffered.size(); i += 2) {
      if (deliver((Long) buffered.get(i), (String) buffered.get(i + 1))) {
        sent++;
      }
    }
    return sent;
  }
}
