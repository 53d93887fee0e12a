package io.wsfleet.node.broker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis as the fleet's broker: a Lua script assigns the offset (INCR), appends to a capped stream
 * (the history) and PUBLISHes in one atomic step, so every server sees a channel's messages in
 * offset order. One dedicated connection carries the live feed; it reconnects by itself and
 * resubscribes.
 */
public final class RedisBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

  private static final String PUBLISH_SCRIPT =
      "local seq = redis.call('INCR', KEYS[1])\n"
          + "redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '0-' .. seq, 'p', ARGV[1])\n"
          + "redis.call('PUBLISH', KEYS[3], seq .. ' ' .. ARGV[1])\n"
          + "return seq\n";

  private final Vertx vertx;
  private final String address;
  private final int historyMaxEntries;
  private final Redis commands;
  private final Redis feedClient;
  private final Set<String> channels = new HashSet<>();
  private final long healthTimer;
  private Listener listener;
  private RedisConnection feed;
  private boolean connecting;
  private boolean commandsUp;
  private boolean feedReady;
  private boolean pinging;
  private String epoch;
  private boolean closed;
  private long reconnectDelayMillis = 100;

  public RedisBroker(
      Vertx vertx, String address, String password, int database, int historyMaxEntries) {
    this.vertx = vertx;
    this.address = address;
    this.historyMaxEntries = historyMaxEntries;
    // One command connection keeps each client's publishes in the order it sent them.
    RedisOptions options =
        new RedisOptions()
            .setConnectionString("redis://" + address + "/" + database)
            .setMaxPoolSize(1)
            .setMaxPoolWaiting(100_000)
            .setMaxWaitingHandlers(100_000);
    if (password != null) {
      options.setPassword(password);
    }
    this.commands = Redis.createClient(vertx, options);
    this.feedClient = Redis.createClient(vertx, new RedisOptions(options));
    connectFeed();
    this.healthTimer = vertx.setPeriodic(0, 1000, id -> checkHealth());
  }

  private static String key(String channel, String part) {
    return "wsf:{" + channel + "}:" + part;
  }

  private static String feedChannel(String channel) {
    return "wsf:{" + channel + "}";
  }

  @Override
  public void listener(Listener listener) {
    this.listener = listener;
  }

  private void checkHealth() {
    if (pinging) {
      return;
    }
    pinging = true;
    // Queued behind a burst of history reads a PING can take a while: only a refusal or a
    // long silence counts as down.
    commands
        .send(Request.cmd(Command.PING))
        .timeout(5, TimeUnit.SECONDS)
        .onComplete(
            ping -> {
              pinging = false;
              boolean up = ping.succeeded();
              if (up != commandsUp) {
                LOG.info("event=broker-{} broker=\"{}\"", up ? "up" : "down", describe());
              }
              commandsUp = up;
              if (up && feed == null) {
                connectFeed();
              }
            });
  }

  private void connectFeed() {
    if (connecting || closed) {
      return;
    }
    connecting = true;
    feedClient
        .connect()
        .timeout(2, TimeUnit.SECONDS)
        .onComplete(
            connected -> {
              connecting = false;
              if (connected.failed()) {
                scheduleReconnect();
                return;
              }
              RedisConnection connection = connected.result();
              if (closed) {
                connection.close();
                return;
              }
              connection.handler(this::onFeed);
              connection.exceptionHandler(e -> lostFeed(connection, e.getMessage()));
              connection.endHandler(v -> lostFeed(connection, "connection closed"));
              feed = connection;
              reconnectDelayMillis = 100;
              checkEpoch()
                  .compose(this::resubscribeAll)
                  .onComplete(
                      done -> {
                        if (done.succeeded() && feed == connection) {
                          feedReady = true;
                        } else {
                          lostFeed(connection, "resubscribe failed");
                        }
                      });
            });
  }

  private void lostFeed(RedisConnection connection, String why) {
    if (feed != connection) {
      return;
    }
    feed = null;
    feedReady = false;
    LOG.warn("event=broker-feed-lost broker=\"{}\" reason=\"{}\"", describe(), why);
    connection.close();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    vertx.setTimer(reconnectDelayMillis, id -> connectFeed());
    reconnectDelayMillis = Math.min(reconnectDelayMillis * 2, 2000);
  }

  /**
   * Redis keeps a random epoch; a new one means it lost its data (a restart without persistence),
   * so offsets restarted and subscribers must be told.
   */
  private Future<Boolean> checkEpoch() {
    String candidate = java.util.UUID.randomUUID().toString();
    return commands
        .send(Request.cmd(Command.SET).arg("wsf:epoch").arg(candidate).arg("NX"))
        .compose(ignored -> commands.send(Request.cmd(Command.GET).arg("wsf:epoch")))
        .timeout(2, TimeUnit.SECONDS)
        .map(
            current -> {
              boolean reset = epoch != null && !epoch.equals(current.toString());
              epoch = current.toString();
              return reset;
            });
  }

  /** After a reconnect the feed may have missed messages: listeners catch up from history. */
  private Future<Void> resubscribeAll(boolean historyReset) {
    List<Future<Void>> done = new ArrayList<>();
    for (String channel : List.copyOf(channels)) {
      done.add(
          subscribeFeed(channel).onSuccess(v -> listener.onResubscribed(channel, historyReset)));
    }
    return Future.all(done).mapEmpty();
  }

  private void onFeed(Response push) {
    if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
      return;
    }
    String name = push.get(1).toString();
    String body = push.get(2).toString();
    int space = body.indexOf(' ');
    if (space < 0 || !name.startsWith("wsf:{") || listener == null) {
      return;
    }
    String channel = name.substring(5, name.length() - 1);
    listener.onMessage(channel, Long.parseLong(body, 0, space, 10), body.substring(space + 1));
  }

  @Override
  public Future<Long> publish(String channel, String payloadJson) {
    return commands
        .send(
            Request.cmd(Command.EVAL)
                .arg(PUBLISH_SCRIPT)
                .arg(3)
                .arg(key(channel, "seq"))
                .arg(key(channel, "log"))
                .arg(feedChannel(channel))
                .arg(payloadJson)
                .arg(historyMaxEntries))
        .timeout(2, TimeUnit.SECONDS)
        .map(Response::toLong);
  }

  @Override
  public Future<Long> subscribe(String channel) {
    channels.add(channel);
    return subscribeFeed(channel).compose(v -> latest(channel));
  }

  private Future<Void> subscribeFeed(String channel) {
    RedisConnection connection = feed;
    if (connection == null) {
      return Future.failedFuture("broker feed is down");
    }
    return connection
        .send(Request.cmd(Command.SUBSCRIBE).arg(feedChannel(channel)))
        .timeout(2, TimeUnit.SECONDS)
        .mapEmpty();
  }

  private Future<Long> latest(String channel) {
    return commands
        .send(Request.cmd(Command.GET).arg(key(channel, "seq")))
        .timeout(2, TimeUnit.SECONDS)
        .map(r -> r == null ? Long.valueOf(0) : r.toLong());
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    channels.remove(channel);
    RedisConnection connection = feed;
    if (connection == null) {
      return Future.succeededFuture();
    }
    return connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(feedChannel(channel))).mapEmpty();
  }

  @Override
  public Future<History> history(String channel, long since) {
    return commands
        .batch(
            List.of(
                Request.cmd(Command.GET).arg(key(channel, "seq")),
                Request.cmd(Command.XRANGE)
                    .arg(key(channel, "log"))
                    .arg("0-" + (since + 1))
                    .arg("+")))
        .timeout(5, TimeUnit.SECONDS)
        .map(
            replies -> {
              Response seq = replies.get(0);
              List<Entry> entries = new ArrayList<>();
              for (Response entry : replies.get(1)) {
                String id = entry.get(0).toString();
                long offset = Long.parseLong(id.substring(id.indexOf('-') + 1));
                entries.add(new Entry(offset, entry.get(1).get(1).toString()));
              }
              return new History(entries, seq == null ? 0L : seq.toLong());
            });
  }

  @Override
  public boolean isUp() {
    return commandsUp && feedReady;
  }

  @Override
  public String describe() {
    return "redis " + address;
  }

  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(healthTimer);
    RedisConnection connection = feed;
    feed = null;
    Future<Void> feedClosed = connection == null ? Future.succeededFuture() : connection.close();
    return feedClosed.eventually(feedClient::close).eventually(commands::close);
  }
}
