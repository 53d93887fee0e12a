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

  private final Broker broker;
  private final LongConsumer delivered;
  private final Map<String, LocalChannel> channels = new HashMap<>();

  public ChannelRegistry(Broker broker, LongConsumer delivered) {
    this.broker = broker;
    this.delivered = delivered;
    broker.listener(this);
  }

  /**
   * Subscribes a client. Without {@code since} it receives messages after the current offset; with
   * it, first every retained message after {@code since} (or a truncated notice), then live ones,
   * each once and in order. A {@code since} from another epoch (or beyond the latest offset, which
   * only a reset explains) resumes from the start of the current epoch, after a notice.
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
    LocalChannel state = channels.computeIfAbsent(channel, LocalChannel::new);
    Subscription subscription = new Subscription(session, state.name);
    session.add(subscription);
    state.add(subscription);
    if (state.feed == null) {
      state.feed = broker.subscribe(channel);
      state.feed.onSuccess(
          head -> {
            state.latestOffset = Math.max(state.latestOffset, head.latestOffset());
            state.epoch = state.epoch == null ? head.epoch() : state.epoch;
          });
    }
    int resubscribesBefore = state.resubscribes;
    state
        .feed
        .compose(
            ignored -> {
              if (since == null) {
                subscription.lastOffset = state.latestOffset;
                subscription.epoch = state.epoch;
                return Future.succeededFuture();
              }
              subscription.lastOffset = since;
              subscription.epoch = request.epoch();
              return catchUp(subscription);
            })
        .compose(ignored -> catchUpResubscribes(state, subscription, resubscribesBefore))
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
              session.send(
                  ServerFrames.subscribed(channel, subscription.lastOffset, subscription.epoch));
            });
  }

  /**
   * A subscribe under way when the feed reconnected is left out of that catch-up (where its stream
   * starts was not settled yet): it fetches what the old feed missed itself, until no reconnect
   * happened meanwhile.
   */
  private Future<Void> catchUpResubscribes(
      LocalChannel state, Subscription subscription, int seen) {
    if (state.resubscribes == seen) {
      return Future.succeededFuture();
    }
    int now = state.resubscribes;
    return catchUp(subscription).compose(v -> catchUpResubscribes(state, subscription, now));
  }

  /** Fetches and delivers what a subscription misses, from the new epoch's start after a reset. */
  private Future<Void> catchUp(Subscription subscription) {
    return historyFor(subscription.channel, List.of(subscription), subscription.lastOffset)
        .map(
            history -> {
              delivered.accept(apply(subscription, history));
              return null;
            });
  }

  /**
   * History after {@code since}; when it shows that one of the subscriptions is from another epoch
   * (or beyond the latest offset), everything the current epoch retains.
   */
  private Future<Broker.History> historyFor(String channel, List<Subscription> subs, long since) {
    return broker
        .history(channel, since)
        .compose(
            history ->
                since > 0 && subs.stream().anyMatch(s -> isReset(s, history))
                    ? broker.history(channel, 0)
                    : Future.succeededFuture(history));
  }

  /**
   * Whether the subscription's offsets are from before a reset: another epoch, or an offset the
   * current one has not reached (a client that did not say its epoch).
   */
  private static boolean isReset(Subscription subscription, Broker.History history) {
    String epoch = subscription.epoch;
    boolean otherEpoch =
        epoch != null && !epoch.equals(Broker.NO_EPOCH) && !epoch.equals(history.epoch());
    return otherEpoch || subscription.lastOffset > history.latestOffset();
  }

  /**
   * Delivers a history answer to one subscription, after a notice when some of what it asked for is
   * gone: a reset (whatever followed its offset in the old epoch, and the new epoch's offsets
   * before {@code earliest}), or history trimmed past its offset. Returns how many were sent.
   */
  private int apply(Subscription subscription, Broker.History history) {
    List<Broker.Entry> entries = history.entries();
    long earliest = entries.isEmpty() ? history.latestOffset() + 1 : entries.get(0).offset();
    if (isReset(subscription, history)) {
      subscription.session.send(
          ServerFrames.reset(
              subscription.channel, subscription.lastOffset, earliest, history.epoch()));
      subscription.lastOffset = 0;
    } else if (!entries.isEmpty() && earliest > subscription.lastOffset + 1) {
      subscription.session.send(
          ServerFrames.truncated(subscription.channel, subscription.lastOffset, earliest));
    }
    subscription.epoch = history.epoch();
    int sent = 0;
    for (Broker.Entry entry : entries) {
      String frame =
          ServerFrames.message(subscription.channel, entry.offset(), entry.payloadJson());
      if (subscription.deliver(entry.offset(), frame)) {
        sent++;
      }
    }
    return sent;
  }

  public void unsubscribe(Session session, String channel) {
    Subscription subscription = session.subscription(channel);
    if (subscription == null) {
      return;
    }
    session.remove(subscription);
    LocalChannel state = channels.get(channel);
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
  public void onMessage(String channel, String epoch, long offset, String payloadJson) {
    LocalChannel state = channels.get(channel);
    if (state == null) {
      return;
    }
    if (!epoch.equals(state.epoch)) {
      newEpoch(state, epoch);
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

  /**
   * The first message of a channel, or the broker lost the channel's data while the feed stayed up
   * (FLUSHALL): subscribers catch up from the new epoch's history, holding live messages back.
   */
  private void newEpoch(LocalChannel state, String epoch) {
    String old = state.epoch;
    state.epoch = epoch;
    if (old == null || old.equals(Broker.NO_EPOCH)) {
      for (Subscription s = state.first; s != null; s = s.next) {
        if (s.confirmed) {
          s.epoch = epoch;
        }
      }
      return;
    }
    state.latestOffset = 0;
    onResubscribed(state.name);
  }

  @Override
  public void onResubscribed(String channel) {
    LocalChannel state = channels.get(channel);
    if (state == null) {
      return;
    }
    state.resubscribes++;
    // Live messages on the new feed race the history fetch: hold them back until the gap is
    // filled, or a message delivered early would make the gap's older offsets look like repeats.
    // A subscribe still under way catches up by itself (catchUpResubscribes).
    List<Subscription> held = new ArrayList<>(state.size);
    long oldest = Long.MAX_VALUE;
    for (Subscription s = state.first; s != null; s = s.next) {
      if (s.confirmed) {
        s.holdBack();
        held.add(s);
        oldest = Math.min(oldest, s.lastOffset);
      }
    }
    if (held.isEmpty()) {
      return;
    }
    historyFor(channel, held, oldest)
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
                  sent += apply(subscription, history.result());
                } else {
                  // Without history the gap cannot be filled: the first later message says so.
                  subscription.gapUnknown = true;
                }
                sent += subscription.release();
              }
              delivered.accept(sent);
            });
  }
}
