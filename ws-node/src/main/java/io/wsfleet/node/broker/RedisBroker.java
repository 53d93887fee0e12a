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
 * Redis as the fleet's broker: a Lua script ({@link RedisChannels}) assigns the offset (INCR),
 * appends to a capped stream (the history) and PUBLISHes in one atomic step, so every server sees a
 * channel's messages in offset order. One dedicated connection carries the live feed; it reconnects
 * by itself and resubscribes.
 */
public final class RedisBroker implements Broker {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);

  private final Vertx vertx;
  private final String address;
  private final int historyMaxEntries;
  private final Redis commands;
  private final Redis feedClient;
  private final String password;

  /** The last failure logged, so that a Redis refusing every second is logged once. */
  private String lastError;

  private final Set<String> channels = new HashSet<>();
  private final long healthTimer;
  private Listener listener;
  private RedisConnection feed;
  private boolean connecting;
  private boolean commandsUp;
  private boolean feedReady;
  private boolean pinging;
  private boolean closed;
  private long reconnectDelayMillis = 100;

  public RedisBroker(
      Vertx vertx, String address, String password, int database, int historyMaxEntries) {
    this.vertx = vertx;
    this.address = address;
    this.historyMaxEntries = historyMaxEntries;
    this.password = password;
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
              if (!up) {
                failed(ping.cause());
              }
              if (up != commandsUp) {
                LOG.info("event=broker-{} broker=\"{}\"", up ? "up" : "down", describe());
              }
              if (up) {
                lastError = null;
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
                failed(connected.cause());
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
              resubscribeAll()
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

  /**
   * Logs why Redis refuses or cannot be reached (a wrong password shows as WRONGPASS or NOAUTH),
   * once per distinct reason; the password itself never reaches the log.
   */
  private void failed(Throwable cause) {
    String reason = String.valueOf(cause.getMessage());
    if (password != null && !password.isEmpty()) {
      reason = reason.replace(password, "<redacted>");
    }
    if (!reason.equals(lastError)) {
      lastError = reason;
      LOG.warn("event=broker-error broker=\"{}\" reason=\"{}\"", describe(), reason);
    }
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

  /** After a reconnect the feed may have missed messages: listeners catch up from history. */
  private Future<Void> resubscribeAll() {
    List<Future<Void>> done = new ArrayList<>();
    for (String channel : List.copyOf(channels)) {
      done.add(subscribeFeed(channel).onSuccess(v -> listener.onResubscribed(channel)));
    }
    return Future.all(done).mapEmpty();
  }

  private void onFeed(Response push) {
    if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
      return;
    }
    String name = push.get(1).toString();
    String body = push.get(2).toString();
    int first = body.indexOf(' ');
    int second = first < 0 ? -1 : body.indexOf(' ', first + 1);
    if (second < 0 || !name.startsWith("wsf:{") || listener == null) {
      return;
    }
    String channel = name.substring(5, name.length() - 1);
    listener.onMessage(
        channel,
        body.substring(0, first),
        Long.parseLong(body, first + 1, second, 10),
        body.substring(second + 1));
  }

  @Override
  public Future<Long> publish(String channel, String payloadJson) {
    return commands
        .send(
            Request.cmd(Command.EVAL)
                .arg(RedisChannels.PUBLISH)
                .arg(4)
                .arg(RedisChannels.key(channel, "seq"))
                .arg(RedisChannels.key(channel, "log"))
                .arg(RedisChannels.feedChannel(channel))
                .arg(RedisChannels.key(channel, "epoch"))
                .arg(payloadJson)
                .arg(historyMaxEntries)
                .arg(Epochs.fresh()))
        .timeout(2, TimeUnit.SECONDS)
        .map(Response::toLong);
  }

  @Override
  public Future<Head> subscribe(String channel) {
    channels.add(channel);
    return subscribeFeed(channel)
        .compose(v -> read(channel, null))
        .map(h -> new Head(h.epoch(), h.latestOffset()));
  }

  private Future<Void> subscribeFeed(String channel) {
    RedisConnection connection = feed;
    if (connection == null) {
      return Future.failedFuture("broker feed is down");
    }
    return connection
        .send(Request.cmd(Command.SUBSCRIBE).arg(RedisChannels.feedChannel(channel)))
        .timeout(2, TimeUnit.SECONDS)
        .mapEmpty();
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    channels.remove(channel);
    RedisConnection connection = feed;
    if (connection == null) {
      return Future.succeededFuture();
    }
    return connection
        .send(Request.cmd(Command.UNSUBSCRIBE).arg(RedisChannels.feedChannel(channel)))
        .mapEmpty();
  }

  @Override
  public Future<History> history(String channel, long since) {
    return read(channel, Long.toString(since + 1));
  }

  private Future<History> read(String channel, String from) {
    return RedisChannels.read(commands, channel, from);
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
