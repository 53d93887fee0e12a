package io.wsfleet.node.session;

import io.vertx.core.Future;
import io.wsfleet.node.broker.Broker;
import io.wsfleet.node.protocol.ClientFrame;
import io.wsfleet.node.protocol.ServerFrames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Who on this server listens to which channel, and the live feed from the broker to them. The
 * server subscribes to a channel at the broker while at least one local client does. Runs on one
 * event loop: no locks.
 */
public final class ChannelRegistry implements Broker.Listener {

  /**
   * A channel with local subscribers, linked through {@link Subscription#prev} and {@link
   * Subscription#next} in the order they subscribed: a set would add an entry object per
   * subscription.
   */
  private static final class Channel {
    /** The channel's name; every subscription shares this one string. */
    final String name;

    Subscription first;
    Subscription last;
    int size;
    Future<Long> feed;
    long latestOffset;

    /** Feed reconnects so far: a subscribe under way across one must catch up what it missed. */
    int resubscribes;

    Channel(String name) {
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

  private final Broker broker;
  private final LongConsumer delivered;
  private final Map<String, Channel> channels = new HashMap<>();

  public ChannelRegistry(Broker broker, LongConsumer delivered) {
    this.broker = broker;
    this.delivered = delivered;
    broker.listener(this);
  }

  /**
   * Subscribes a client. Without {@code since} it receives messages after the current offset; with
   * it, first every retained message after {@code since} (or a truncated notice), then live ones,
   * each once and in order.
   */
  public void subscribe(Session session, ClientFrame.Subscribe request) {
    String channel = request.channel();
    Long since = request.since();
    if (session.subscription(channel) != null) {
      session.send(
          ServerFrames.error(
              "bad_request", "already subscribed to " + channel, request.id(), channel));
      return;
    }
    Channel state = channels.computeIfAbsent(channel, Channel::new);
    Subscription subscription = new Subscription(session, state.name);
    session.add(subscription);
    state.add(subscription);
    if (state.feed == null) {
      state.feed = broker.subscribe(channel);
      state.feed.onSuccess(latest -> state.latestOffset = Math.max(state.latestOffset, latest));
    }
    int resubscribesBefore = state.resubscribes;
    state
        .feed
        .compose(ignored -> since == null ? Future.succeededFuture() : replay(subscription, since))
        .compose(
            ignored -> {
              if (since == null) {
                subscription.lastOffset = state.latestOffset;
              }
              return catchUpResubscribes(state, subscription, resubscribesBefore);
            })
        .onComplete(
            done -> {
              if (session.subscription(channel) != subscription) {
                return; // unsubscribed or disconnected meanwhile
              }
              if (done.failed()) {
                unsubscribe(session, channel);
                session.send(
                    ServerFrames.error(
                        "broker_unavailable",
                        "cannot subscribe to " + channel + " now: " + done.cause().getMessage(),
                        request.id(),
                        channel));
                return;
              }
              delivered.accept(subscription.release());
              subscription.confirmed = true;
              session.send(ServerFrames.subscribed(channel, subscription.lastOffset));
            });
  }

  /**
   * A subscribe under way when the feed reconnected is left out of that catch-up (where its stream
   * starts was not settled yet): it fetches what the old feed missed itself, until no reconnect
   * happened meanwhile.
   */
  private Future<Void> catchUpResubscribes(Channel state, Subscription subscription, int seen) {
    if (state.resubscribes == seen) {
      return Future.succeededFuture();
    }
    int now = state.resubscribes;
    return broker
        .history(state.name, subscription.lastOffset)
        .compose(
            history -> {
              noticeGap(subscription, history.entries());
              history.entries().forEach(e -> deliver(subscription, e.offset(), e.payloadJson()));
              return catchUpResubscribes(state, subscription, now);
            });
  }

  private Future<Void> replay(Subscription subscription, long since) {
    return broker
        .history(subscription.channel, since)
        .map(
            history -> {
              subscription.lastOffset = since;
              List<Broker.Entry> entries = history.entries();
              noticeGap(subscription, entries);
              if (entries.isEmpty() && since > history.latestOffset()) {
                // The broker's history restarted (e.g. Redis lost its data): offsets begin anew.
                subscription.session.send(
                    ServerFrames.truncated(
                        subscription.channel, since, history.latestOffset() + 1));
                subscription.lastOffset = history.latestOffset();
              }
              for (Broker.Entry entry : entries) {
                deliver(subscription, entry.offset(), entry.payloadJson());
              }
              return null;
            });
  }

  /** Tells the client when history no longer reaches back to where it is. */
  private static void noticeGap(Subscription subscription, List<Broker.Entry> entries) {
    if (!entries.isEmpty() && entries.get(0).offset() > subscription.lastOffset + 1) {
      subscription.session.send(
          ServerFrames.truncated(
              subscription.channel, subscription.lastOffset, entries.get(0).offset()));
    }
  }

  private void deliver(Subscription subscription, long offset, String payloadJson) {
    if (offset > subscription.lastOffset) {
      subscription.deliver(offset, ServerFrames.message(subscription.channel, offset, payloadJson));
      delivered.accept(1);
    }
  }

  public void unsubscribe(Session session, String channel) {
    Subscription subscription = session.subscription(channel);
    if (subscription == null) {
      return;
    }
    session.remove(subscription);
    Channel state = channels.get(channel);
    if (state != null && state.remove(subscription) && state.size == 0) {
      channels.remove(channel);
      state.feed.onComplete(
          ignored -> {
            if (!channels.containsKey(channel)) {
              broker.unsubscribe(channel);
            }
          });
    }
  }

  /** Drops every subscription of a client that went away. */
  public void remove(Session session) {
    List<String> subscribed = new ArrayList<>(session.subscriptionCount());
    session.forEachSubscription(s -> subscribed.add(s.channel));
    subscribed.forEach(channel -> unsubscribe(session, channel));
  }

  @Override
  public void onMessage(String channel, long offset, String payloadJson) {
    Channel state = channels.get(channel);
    if (state == null) {
      return;
    }
    state.latestOffset = Math.max(state.latestOffset, offset);
    String frame = ServerFrames.message(channel, offset, payloadJson);
    int sent = 0;
    Subscription next;
    for (Subscription subscription = state.first; subscription != null; subscription = next) {
      next = subscription.next;
      if (subscription.catchingUp()) {
        subscription.buffer(offset, frame);
      } else if (subscription.deliver(offset, frame)) {
        sent++;
      }
    }
    delivered.accept(sent);
  }

  @Override
  public void onResubscribed(String channel, boolean historyReset) {
    Channel state = channels.get(channel);
    if (state == null) {
      return;
    }
    state.resubscribes++;
    if (historyReset) {
      Subscription next;
      for (Subscription subscription = state.first; subscription != null; subscription = next) {
        next = subscription.next;
        subscription.session.send(ServerFrames.truncated(channel, subscription.lastOffset, 1));
        subscription.lastOffset = 0;
      }
      state.latestOffset = 0;
    }
    // Live messages on the new feed race the history fetch: hold them back until the gap is
    // filled, or a message delivered early would make the gap's older offsets look like repeats.
    // A subscribe still under way catches up by itself (catchUpResubscribes).
    List<Subscription> held = new ArrayList<>(state.size);
    long oldest = state.latestOffset;
    for (Subscription subscription = state.first;
        subscription != null;
        subscription = subscription.next) {
      if (!subscription.confirmed) {
        continue;
      }
      subscription.holdBack();
      held.add(subscription);
      oldest = Math.min(oldest, subscription.lastOffset);
    }
    if (held.isEmpty()) {
      return;
    }
    broker
        .history(channel, oldest)
        .onComplete(
            history -> {
              if (history.succeeded()) {
                state.latestOffset = Math.max(state.latestOffset, history.result().latestOffset());
              }
              int sent = 0;
              for (Subscription subscription : held) {
                if (subscription.session.subscription(channel) != subscription) {
                  continue; // unsubscribed or disconnected meanwhile
                }
                if (history.succeeded()) {
                  List<Broker.Entry> entries = history.result().entries();
                  noticeGap(subscription, entries);
                  entries.forEach(e -> deliver(subscription, e.offset(), e.payloadJson()));
                } else {
                  // Without history the gap cannot be filled: the first later message says so.
                  subscription.gapUnknown = true;
                }
                sent += subscription.release();
              }
              delivered.accept(sent);
            });
  }

  public int channelCount() {
    return channels.size();
  }
}
