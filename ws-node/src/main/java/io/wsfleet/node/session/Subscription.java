package io.wsfleet.node.session;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's interest in one channel. Delivers each offset at most once and in order; while the
 * client catches up from history, live messages wait in a buffer.
 */
final class Subscription {

  final Session session;
  final String channel;

  /** Neighbours in the {@link ChannelRegistry}'s list of the channel's subscriptions. */
  Subscription prev;

  Subscription next;
  long lastOffset;
  private List<Object> pending = new ArrayList<>(0);

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
    lastOffset = offset;
    session.send(frame);
    return true;
  }

  /** Ends the catch-up: buffered live messages follow what history delivered; returns how many. */
  int goLive() {
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
