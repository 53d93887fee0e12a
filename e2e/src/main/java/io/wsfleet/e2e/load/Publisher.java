package io.wsfleet.e2e.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.wsfleet.e2e.ws.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Publishes {@code {"seq":n,"sentMicros":t}} at the configured total rate, channel after channel,
 * over enough connections to stay under ws-node's per-connection publish limit. Remembers the last
 * acknowledged offset per channel: the point every client must reach at the end.
 */
final class Publisher {

  private static final long TICK_MILLIS = 10;

  private final LoadClient owner;
  private final List<PublishLink> links = new ArrayList<>();
  private final long[] seq;
  private final long[] lastOffsets;
  private long startNanos;
  private long sent;
  private long timer = -1;
  private int nextLink;

  Publisher(LoadClient owner) {
    this.owner = owner;
    LoadOptions options = owner.options();
    int count = Math.max(1, (int) Math.ceil(options.publishRate() / options.publishRatePerLink()));
    for (int i = 0; i < count; i++) {
      links.add(new PublishLink(owner, this, i));
    }
    this.seq = new long[options.channels()];
    this.lastOffsets = new long[options.channels()];
    Arrays.fill(lastOffsets, -1);
  }

  void start() {
    links.forEach(PublishLink::connect);
    startNanos = System.nanoTime();
    if (owner.options().publishRate() > 0) {
      timer = owner.vertx().setPeriodic(TICK_MILLIS, t -> tick());
    }
  }

  private void tick() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long due = (long) (seconds * owner.options().publishRate());
    for (; sent < due; sent++) {
      int channel = (int) (sent % seq.length);
      PublishLink link = nextOpenLink();
      if (link == null) {
        owner.counters().publishUnsent.incrementAndGet();
        continue;
      }
      long n = ++seq[channel];
      link.send(
          "{\"op\":\"publish\",\"channel\":\""
              + owner.options().channel(channel)
              + "\",\"id\":\"p"
              + n
              + "\",\"payload\":{\"seq\":"
              + n
              + ",\"sentMicros\":"
              + Clock.epochMicros()
              + "}}");
    }
  }

  private PublishLink nextOpenLink() {
    for (int i = 0; i < links.size(); i++) {
      PublishLink link = links.get(nextLink++ % links.size());
      if (link.open()) {
        return link;
      }
    }
    return null;
  }

  void acknowledged(String channel, long offset) {
    int index = owner.channelIndex(channel);
    if (index >= 0) {
      owner.counters().published.incrementAndGet();
      lastOffsets[index] = Math.max(lastOffsets[index], offset);
    }
  }

  /** Stops sending; completes once every publish is acknowledged (at most 5 s). */
  Future<long[]> stop() {
    if (timer >= 0) {
      owner.vertx().cancelTimer(timer);
    }
    Promise<long[]> done = Promise.promise();
    long deadline = System.nanoTime() + 5_000_000_000L;
    owner
        .vertx()
        .setPeriodic(
            20,
            t -> {
              int outstanding = links.stream().mapToInt(PublishLink::outstanding).sum();
              if (outstanding == 0 || System.nanoTime() > deadline) {
                owner.vertx().cancelTimer(t);
                links.forEach(PublishLink::stop);
                done.complete(lastOffsets.clone());
              }
            });
    return done.future();
  }
}
