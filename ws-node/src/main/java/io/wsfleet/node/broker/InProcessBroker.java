package io.wsfleet.node.broker;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The broker of a server running alone: same semantics as Redis, in memory, one process. */
public final class InProcessBroker implements Broker {

  private final int historyMaxEntries;
  private final Map<String, ChannelLog> logs = new HashMap<>();
  private final Set<String> subscribed = new HashSet<>();

  /** New with each broker: a restarted server's history starts empty, in a new epoch. */
  private final String epoch = Epochs.fresh();

  private Listener listener;

  public InProcessBroker(int historyMaxEntries) {
    this.historyMaxEntries = historyMaxEntries;
  }

  /** A channel's offset counter and bounded history. */
  private static final class ChannelLog {
    long latest;
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
  }

  @Override
  public void listener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public Future<Long> publish(String channel, String payloadJson) {
    ChannelLog log = logs.computeIfAbsent(channel, c -> new ChannelLog());
    long offset = ++log.latest;
    log.entries.addLast(new Entry(offset, payloadJson));
    if (log.entries.size() > historyMaxEntries) {
      log.entries.removeFirst();
    }
    if (subscribed.contains(channel) && listener != null) {
      listener.onMessage(channel, epoch, offset, payloadJson);
    }
    return Future.succeededFuture(offset);
  }

  @Override
  public Future<Head> subscribe(String channel) {
    subscribed.add(channel);
    return Future.succeededFuture(new Head(epoch, latest(channel)));
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    subscribed.remove(channel);
    return Future.succeededFuture();
  }

  @Override
  public Future<History> history(String channel, long since) {
    ChannelLog log = logs.get(channel);
    if (log == null) {
      return Future.succeededFuture(new History(epoch, List.of(), 0));
    }
    List<Entry> after = new ArrayList<>();
    for (Entry entry : log.entries) {
      if (entry.offset() > since) {
        after.add(entry);
      }
    }
    return Future.succeededFuture(new History(epoch, after, log.latest));
  }

  private long latest(String channel) {
    ChannelLog log = logs.get(channel);
    return log == null ? 0 : log.latest;
  }

  @Override
  public boolean isUp() {
    return true;
  }

  @Override
  public String describe() {
    return "in-process";
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
