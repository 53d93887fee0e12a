package io.wsfleet.node.broker;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How {@link RedisBroker} keeps a channel in Redis: its keys, the publish script, the history read.
 * The publish script runs atomically: every server sees a channel's offsets, history and epoch
 * change together.
 */
final class RedisChannels {

  private RedisChannels() {}

  /**
   * A channel's epoch lives next to its counter: a new one whenever the counter is gone (FLUSHALL,
   * a restart without persistence, an eviction), so offsets that begin anew are never taken for the
   * old ones. The feed carries it with each message: a live subscriber sees the reset too.
   */
  static final String PUBLISH =
      "local epoch = redis.call('GET', KEYS[4])\n"
          + "if not epoch or redis.call('EXISTS', KEYS[1]) == 0 then\n"
          + "  epoch = ARGV[3]\n"
          + "  redis.call('SET', KEYS[4], epoch)\n"
          + "end\n"
          + "local seq = redis.call('INCR', KEYS[1])\n"
          + "redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '0-' .. seq, 'p', ARGV[1])\n"
          + "redis.call('PUBLISH', KEYS[3], epoch .. ' ' .. seq .. ' ' .. ARGV[1])\n"
          + "return seq\n";

  /** Names a channel's epoch if it has none yet. */
  static Request nameEpoch(String channel) {
    return Request.cmd(Command.SET).arg(key(channel, "epoch")).arg(Epochs.fresh()).arg("NX");
  }

  /** A key of a channel; the {@code {channel}} hash tag keeps them in one Redis Cluster slot. */
  static String key(String channel, String part) {
    return "wsf:{" + channel + "}:" + part;
  }

  /** The PUBLISH channel of a channel's live feed. */
  static String feedChannel(String channel) {
    return "wsf:{" + channel + "}";
  }

  /** A history answer: the channel's epoch and latest offset, and XRANGE's entries (or none). */
  static Broker.History history(String epoch, long latest, Response xrange) {
    List<Broker.Entry> entries = new ArrayList<>(xrange == null ? 0 : xrange.size());
    if (xrange != null) {
      for (Response entry : xrange) {
        String id = entry.get(0).toString();
        long offset = Long.parseLong(id.substring(id.indexOf('-') + 1));
        entries.add(new Broker.Entry(offset, entry.get(1).get(1).toString()));
      }
    }
    return new Broker.History(epoch, entries, latest);
  }

  /**
   * A channel's epoch, latest offset and, with {@code from}, the entries from that offset, in one
   * transaction of plain commands (a Lua script doing the same costs Redis about three times as
   * much, which a thousand clients resuming at once would feel).
   */
  static Future<Broker.History> read(Redis commands, String channel, String from) {
    List<Request> transaction = new ArrayList<>(5);
    transaction.add(Request.cmd(Command.MULTI));
    transaction.add(Request.cmd(Command.GET).arg(key(channel, "seq")));
    transaction.add(Request.cmd(Command.GET).arg(key(channel, "epoch")));
    if (from != null) {
      transaction.add(
          Request.cmd(Command.XRANGE).arg(key(channel, "log")).arg("0-" + from).arg("+"));
    }
    transaction.add(Request.cmd(Command.EXEC));
    return commands
        .batch(transaction)
        .timeout(5, TimeUnit.SECONDS)
        .compose(
            replies -> {
              Response read = replies.get(replies.size() - 1);
              Response entries = from == null ? null : read.get(2);
              if (read.get(0) == null) {
                return Future.succeededFuture(history(Broker.NO_EPOCH, 0, null));
              }
              long latest = read.get(0).toLong();
              if (read.get(1) != null) {
                return Future.succeededFuture(history(read.get(1).toString(), latest, entries));
              }
              // Offsets kept by a server from before epochs: the first reader names the epoch.
              return commands
                  .send(nameEpoch(channel))
                  .compose(v -> commands.send(Request.cmd(Command.GET).arg(key(channel, "epoch"))))
                  .map(epoch -> history(epoch.toString(), latest, entries));
            });
  }
}
