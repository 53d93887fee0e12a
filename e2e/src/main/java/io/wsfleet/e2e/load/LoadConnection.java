package io.wsfleet.e2e.load;

import io.vertx.core.json.JsonObject;
import io.wsfleet.e2e.ws.Clock;
import io.wsfleet.e2e.ws.RawWebSocket;
import java.util.Arrays;

/**
 * One load client: subscribes to every channel, checks what arrives, and after a close reconnects
 * to the next target, resuming each channel with {@code since}. Lives on the load event loop.
 */
final class LoadConnection {

  private static final String MESSAGE_PREFIX = "{\"type\":\"message\",\"channel\":\"";
  private static final int NORMAL_CLOSURE = 1000;
  private static final String BROKER_UNAVAILABLE = "broker_unavailable";

  private final LoadClient owner;
  private final int id;
  private final ChannelTrack[] tracks;
  // Per channel: subscribed on this socket, so messages are live, not replayed history.
  private final boolean[] live;
  private final Reconnect reconnect;
  private RawWebSocket socket;
  private boolean retired;
  private boolean everSubscribed;
  private int subscribedChannels;
  private int drainsPending; // 1012 closes not yet followed by a resubscription
  private boolean leavingRefused; // closing this socket because the server refused a subscribe
  private long timer = -1;

  LoadConnection(LoadClient owner, int id) {
    this.owner = owner;
    this.id = id;
    this.tracks = new ChannelTrack[owner.options().channels()];
    for (int i = 0; i < tracks.length; i++) {
      tracks[i] = new ChannelTrack();
    }
    this.live = new boolean[tracks.length];
    this.reconnect = new Reconnect(owner.options());
  }

  void connect() {
    timer = -1;
    owner
        .open(id, this::onText, this::onClose)
        .onSuccess(this::onOpen)
        .onFailure(
            error -> {
              owner.counters().handshakeFailed(FailureReason.of(error));
              retryIn(reconnect.afterFailure());
            });
  }

  private void onOpen(RawWebSocket opened) {
    if (retired) {
      opened.close(NORMAL_CLOSURE); // ramped down while connecting
      return;
    }
    socket = opened;
    subscribedChannels = 0;
    leavingRefused = false;
    Arrays.fill(live, false);
    owner.counters().opened();
    for (int i = 0; i < tracks.length; i++) {
      String since = tracks[i].hasBaseline() ? ",\"since\":" + tracks[i].last() : "";
      opened.sendText(
          "{\"op\":\"subscribe\",\"channel\":\"" + owner.options().channel(i) + "\"" + since + "}");
    }
  }

  private void onText(String text) {
    if (text.startsWith(MESSAGE_PREFIX)) {
      onMessage(text);
      return;
    }
    JsonObject frame = new JsonObject(text);
    int channel = owner.channelIndex(frame.getString("channel"));
    switch (String.valueOf(frame.getString("type"))) {
      case "subscribed" -> {
        if (channel >= 0) {
          tracks[channel].baseline(frame.getLong("offset"));
          live[channel] = true;
          if (++subscribedChannels == tracks.length) {
            onSubscribed();
          }
        }
      }
      case "truncated" -> {
        if (channel >= 0) {
          owner.counters().truncatedNotices.incrementAndGet();
          long gone = tracks[channel].truncated(frame.getLong("since"), frame.getLong("earliest"));
          owner.counters().truncatedMessages.addAndGet(gone);
        }
      }
      case "error" -> {
        owner.counters().serverErrors.incrementAndGet();
        // This socket carries nothing but our subscribes: such an error refused one of them.
        if (BROKER_UNAVAILABLE.equals(frame.getString("code"))) {
          subscribeRefused();
        }
      }
      default -> {
        // unsubscribed and frames of later protocol versions: nothing to check
      }
    }
  }

  /**
   * A server that cannot subscribe now (its broker feed is down: still connecting at start-up, or
   * reconnecting) answers {@code broker_unavailable} and forgets the subscribe: no {@code
   * subscribed} will follow on this socket. Why not wait: the client would stay unsubscribed for
   * good on an open socket (the drain test saw it on a loaded machine: clients refused at start-up
   * were never caught up). Why not resend the one subscribe: the error frame does not name the
   * channel. So leave the socket; the reconnect (after the failure backoff, as the close is ours)
   * subscribes every channel again, with {@code since} where there is a baseline, maybe elsewhere.
   */
  private void subscribeRefused() {
    owner.counters().subscribesRefused.incrementAndGet();
    RawWebSocket refused = socket;
    if (refused == null || leavingRefused) {
      return; // already leaving (one error per refused channel)
    }
    leavingRefused = true;
    refused.close(NORMAL_CLOSURE); // the server's close answer ends it: onClose reconnects
    owner.vertx().setTimer(5_000, t -> refused.abort()); // no close answer: drop the socket
  }

  private void onSubscribed() {
    reconnect.succeeded();
    if (everSubscribed) {
      owner.counters().reconnects.incrementAndGet();
    }
    everSubscribed = true;
    owner.counters().reconnectedAfterDrain.addAndGet(drainsPending);
    drainsPending = 0;
  }

  private void onMessage(String text) {
    long receivedMicros = Clock.epochMicros();
    int nameStart = MESSAGE_PREFIX.length();
    int nameEnd = text.indexOf('"', nameStart);
    int channel = owner.channelIndex(text.substring(nameStart, nameEnd));
    long offset = Clock.longField(text, "\"offset\":");
    if (channel < 0 || offset < 0) {
      owner.counters().serverErrors.incrementAndGet();
      return;
    }
    Counters counters = owner.counters();
    counters.received.incrementAndGet();
    ChannelTrack track = tracks[channel];
    switch (track.message(offset)) {
      case GAP -> counters.lost.addAndGet(track.lastGap());
      case LATE -> {
        counters.lost.decrementAndGet();
        counters.outOfOrder.incrementAndGet();
      }
      case DUPLICATE -> counters.duplicated.incrementAndGet();
      case IN_ORDER -> {
        // the usual case
      }
    }
    if (!live[channel]) {
      counters.replayed.incrementAndGet(); // its latency would be the reconnect time
      return;
    }
    long sent = Clock.longField(text, "\"sentMicros\":");
    if (sent > 0) {
      owner.latency().record(receivedMicros - sent);
    }
  }

  private void onClose(int code, String reason) {
    boolean wasOpen = socket != null;
    socket = null;
    if (wasOpen) {
      owner.counters().connected.decrementAndGet();
    }
    if (retired) {
      return;
    }
    owner.counters().closed(code);
    if (code == Reconnect.SERVICE_RESTART) {
      owner.counters().closedByDrain.incrementAndGet();
      drainsPending++;
    }
    retryIn(reconnect.afterClose(code, reason));
  }

  private void retryIn(long delayMillis) {
    if (!retired) {
      timer = owner.vertx().setTimer(Math.max(1, delayMillis), t -> connect());
    }
  }

  /** Ramp-down: a normal close, not a problem, and no reconnect. */
  void retire() {
    retired = true;
    if (timer >= 0) {
      owner.vertx().cancelTimer(timer);
    }
    owner.counters().drainedThenStopped.addAndGet(drainsPending);
    drainsPending = 0;
    if (socket != null) {
      RawWebSocket closing = socket;
      socket = null;
      owner.counters().connected.decrementAndGet();
      closing.close(NORMAL_CLOSURE);
      owner.vertx().setTimer(5_000, t -> closing.abort()); // no close answer: drop the socket
    }
  }

  /** Subscribed on every channel and up to {@code lastOffsets} on each. */
  boolean caughtUp(long[] lastOffsets) {
    if (socket == null || subscribedChannels < tracks.length) {
      return false;
    }
    for (int i = 0; i < tracks.length; i++) {
      if (tracks[i].last() < lastOffsets[i]) {
        return false;
      }
    }
    return true;
  }

  /** Offsets up to {@code lastOffsets} not received yet (gaps are counted as they happen). */
  long shortfall(long[] lastOffsets) {
    long missing = 0;
    for (int i = 0; i < tracks.length; i++) {
      if (tracks[i].hasBaseline()) {
        missing += Math.max(0, lastOffsets[i] - tracks[i].last());
      }
    }
    return missing;
  }
}
