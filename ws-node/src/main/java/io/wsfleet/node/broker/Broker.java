package io.wsfleet.node.broker;

import io.vertx.core.Future;
import java.util.List;

/**
 * Shares messages between the servers of a fleet: fans them out live and keeps a bounded,
 * offset-numbered history per channel. Offsets increase strictly per channel across the fleet.
 * Implementations call back on the event loop that created them.
 */
public interface Broker {

  /** Where live messages of subscribed channels go, in offset order per channel. */
  interface Listener {
    void onMessage(String channel, long offset, String payloadJson);

    /**
     * The broker lost and regained its feed: messages may have been missed meanwhile. With {@code
     * historyReset} the broker's data was lost and offsets started anew.
     */
    void onResubscribed(String channel, boolean historyReset);
  }

  /** One retained message. */
  record Entry(long offset, String payloadJson) {}

  /** Retained messages after an offset, in order, and the channel's latest offset. */
  record History(List<Entry> entries, long latestOffset) {}

  void listener(Listener listener);

  /** Appends to history and fans out; completes with the message's offset. */
  Future<Long> publish(String channel, String payloadJson);

  /**
   * Starts the live feed of a channel for this server; completes, with the latest offset, once no
   * later message can be missed.
   */
  Future<Long> subscribe(String channel);

  Future<Void> unsubscribe(String channel);

  /** Retained messages with an offset above {@code since}. */
  Future<History> history(String channel, long since);

  /** False while the broker cannot publish or deliver; readiness follows it. */
  boolean isUp();

  /** For status and logs, e.g. {@code redis 127.0.0.1:6379}. */
  String describe();

  Future<Void> close();
}
