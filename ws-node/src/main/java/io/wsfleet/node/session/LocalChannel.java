package io.wsfleet.node.session;

import io.vertx.core.Future;
import io.wsfleet.node.broker.Broker;

/**
 * A channel with local subscribers, for {@link ChannelRegistry}, linked through {@link
 * Subscription#prev} and {@link Subscription#next} in the order they subscribed: a set would add an
 * entry object per subscription.
 */
final class LocalChannel {
  /** The channel's name; every subscription shares this one string. */
  final String name;

  Subscription first;
  Subscription last;
  int size;
  Future<Broker.Head> feed;
  long latestOffset;

  /** The epoch live messages come in; a message of another one means the broker was reset. */
  String epoch;

  /** Feed reconnects so far: a subscribe under way across one must catch up what it missed. */
  int resubscribes;

  LocalChannel(String name) {
    this.name = name;
  }

  void add(Subscription subscription) {
    subscription.prev = last;
    if (last == null) {
      first = subscription;
    } else {
      last.next = subscription;
    }
    last = subscription;
    size++;
  }

  /** Unlinks a subscription; false if it was not linked here. */
  boolean remove(Subscription subscription) {
    if (subscription.prev == null && first != subscription) {
      return false;
    }
    if (subscription.prev == null) {
      first = subscription.next;
    } else {
      subscription.prev.next = subscription.next;
    }
    if (subscription.next == null) {
      last = subscription.prev;
    } else {
      subscription.next.prev = subscription.prev;
    }
    subscription.prev = null;
    subscription.next = null;
    size--;
    return true;
  }
}
