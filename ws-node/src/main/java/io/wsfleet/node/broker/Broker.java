package io.wsfleet.node.broker;

import io.vertx.core.Future;
import java.util.List;

/**
 * Shares messages between the servers of a fleet: fans them out live and keeps a bounded,
 * offset-numbered history per channel. Offsets increase strictly per channel across the fleet
 * within an epoch: a broker that lost a channel's data (Redis flushed or restarted without
 * persistence, an in-process broker restarted with its server) numbers it anew, from 1, in a new
 * epoch. Implementations call back on the event loop that created them.
 */
public interface Broker {

  /** Where live messages of subscribed channels go, in offset order per channel. */
  interface Listener {
    void onMessage(String channel, String epoch, long offset, String payloadJson);

    /** The broker lost and regained its feed: messages may have been missed meanwhile. */
    void onResubscribed(String channel);
  }

  /** One retained message. */
  record Entry(long offset, String payloadJson) {}

  /**
   * Where a channel stands: its epoch ({@link #NO_EPOCH} while nothing was ever published to it)
   * and its latest offset in that epoch.
   */
  record Head(String epoch, long latestOffset) {}

  /** Retained messages after an offset, in order, with the channel's epoch and latest offset. */
  record History(String epoch, List<Entry> entries, long latestOffset) {}

  /** The epoch of a channel nothing was published to yet: its first message starts one. */
  String NO_EPOCH = "";

  void listener(Listener listener);

  /** Appends to history and fans out; completes with the message's offset. */
  Future<Long> publish(String channel, String payloadJson);

  /**
   * Starts the live feed of a channel for this server; completes, with where the channel stands,
   * once no later message can be missed.
   */
  Future<Head> subscribe(String channel);

  Future<Void> unsubscribe(String channel);

  /** Retained messages with an offset above {@code since}. */
  Future<History> history(String channel, long since);

  /** False while the broker cannot publish or deliver; readiness follows it. */
  boolean isUp();

  /** For status and logs, e.g. {@code redis 127.0.0.1:6379}. */
  String describe();

  Future<Void> close();
}
