package io.wsfleet.node.broker;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lua scripts of {@link RedisBroker}. Scripts run atomically: every server sees a channel's
 * offsets, history and epoch change together.
 */
final class RedisScripts {

  private RedisScripts() {}

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

  /**
   * Epoch, latest offset and (unless ARGV[1] is empty) the entries from offset ARGV[1], read
   * atomically. A channel never published to has no epoch and creates none.
   */
  static final String HISTORY =
      "local seq = redis.call('GET', KEYS[1])\n"
          + "if not seq then return {'', 0, {}} end\n"
          + "local epoch = redis.call('GET', KEYS[3])\n"
          + "if not epoch then\n"
          + "  epoch = ARGV[2]\n"
          + "  redis.call('SET', KEYS[3], epoch)\n"
          + "end\n"
          + "local entries = {}\n"
          + "if ARGV[1] ~= '' then entries = redis.call('XRANGE', KEYS[2], '0-' .. ARGV[1], '+') end\n"
          + "return {epoch, tonumber(seq), entries}\n";

  /** A key of a channel; the {@code {channel}} hash tag keeps them in one Redis Cluster slot. */
  static String key(String channel, String part) {
    return "wsf:{" + channel + "}:" + part;
  }

  /** The PUBLISH channel of a channel's live feed. */
  static String feedChannel(String channel) {
    return "wsf:{" + channel + "}";
  }

  /** The answer of {@link #HISTORY}: epoch, latest offset, entries. */
  static Broker.History history(Response reply) {
    List<Broker.Entry> entries = new ArrayList<>();
    for (Response entry : reply.get(2)) {
      String id = entry.get(0).toString();
      long offset = Long.parseLong(id.substring(id.indexOf('-') + 1));
      entries.add(new Broker.Entry(offset, entry.get(1).get(1).toString()));
    }
    return new Broker.History(reply.get(0).toString(), entries, reply.get(1).toLong());
  }
}
