package io.wsfleet.e2e.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.wsfleet.e2e.ws.RawWebSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens WebSocket clients against ws-node servers following a {@link Profile}, publishes numbered
 * messages, checks every delivery and reports. Everything runs on one Vert.x event loop, so the
 * per-client state needs no locks; {@link #snapshot()} and {@link #setTargets} are thread-safe.
 */
public final class LoadClient {

  private final LoadOptions options;
  private final Vertx vertx;
  private final Context context;
  private final NetClient[] netClients;
  private final Map<String, Integer> channels = new HashMap<>();
  private final Counters counters = new Counters();
  private final LatencyHistogram latency = new LatencyHistogram();
  private final AtomicInteger targetCursor = new AtomicInteger();
  private volatile List<Target> targets;
  private volatile ProfileRun current;
  private volatile long receivedPerSecond;

  private LoadClient(LoadOptions options, Vertx vertx) {
    this.options = options;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    setTargets(options.targets());
    List<String> sources = options.sourceAddresses();
    // One NetClient per source address; see RawWebSocket for why not Vert.x's WebSocketClient.
    this.netClients = new NetClient[Math.max(1, sources.size())];
    for (int i = 0; i < netClients.length; i++) {
      NetClientOptions net =
          new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true).setSoLinger(0);
      netClients[i] =
          vertx.createNetClient(sources.isEmpty() ? net : net.setLocalAddress(sources.get(i)));
    }
    for (int i = 0; i < options.channels(); i++) {
      channels.put(options.channel(i), i);
    }
  }

  /** A load client on one event loop of {@code vertx}; nothing connects before {@link #run}. */
  public static LoadClient start(LoadOptions options, Vertx vertx) {
    return new LoadClient(options, vertx);
  }

  /** Replaces the servers new connections go to (e.g. when the fleet's pods change). */
  public void setTargets(List<String> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no targets");
    }
    this.targets = targets.stream().map(Target::parse).toList();
  }

  /** Runs the profile, then stops publishing, lets clients catch up, reports and closes them. */
  public Future<LoadReport> run(Profile profile) {
    int perSource = (profile.peakClients() + netClients.length - 1) / netClients.length;
    if (perSource > LoadOptions.MAX_SOCKETS_PER_SOURCE) {
      return Future.failedFuture(
          new IllegalArgumentException(
              profile.peakClients()
                  + " clients need more source addresses: at most "
                  + LoadOptions.MAX_SOCKETS_PER_SOURCE
                  + " sockets per address"));
    }
    Promise<LoadReport> result = Promise.promise();
    context.runOnContext(
        v -> {
          if (current != null) {
            result.fail(new IllegalStateException("a run is already going"));
            return;
          }
          ProfileRun run = new ProfileRun(this, profile);
          current = run;
          Progress progress = new Progress(this);
          progress.start();
          run.begin()
              .onComplete(
                  done -> {
                    progress.stop();
                    current = null;
                  })
              .onComplete(result);
        });
    return result.future();
  }

  /** Live numbers; callable from any thread. */
  public LoadSnapshot snapshot() {
    ProfileRun run = current;
    Counters c = counters;
    return new LoadSnapshot(
        run == null ? 0 : run.elapsedSeconds(),
        run == null ? "idle" : run.phaseName(),
        run == null ? 0 : run.targetClients(),
        c.connected.get(),
        c.peakConnected.get(),
        c.reconnects.get(),
        c.closedByDrain.get(),
        c.reconnectedAfterDrain.get(),
        c.handshakeFailureTotal(),
        c.subscribesRefused.get(),
        c.published.get(),
        c.received.get(),
        receivedPerSecond,
        c.lost.get(),
        c.duplicated.get(),
        c.outOfOrder.get(),
        c.truncatedMessages.get());
  }

  /** Releases the sockets' clients; call after {@link #run} completed. */
  public Future<Void> close() {
    return Future.all(Arrays.stream(netClients).map(NetClient::close).toList()).mapEmpty();
  }

  LoadOptions options() {
    return options;
  }

  Vertx vertx() {
    return vertx;
  }

  Counters counters() {
    return counters;
  }

  LatencyHistogram latency() {
    return latency;
  }

  void receivedPerSecond(long rate) {
    receivedPerSecond = rate;
  }

  /**
   * Opens a WebSocket for client {@code clientId} (from its source address) to the next target:
   * round-robin over the targets, so a reconnect goes to the next server.
   */
  Future<RawWebSocket> open(
      int clientId, Handler<String> onText, RawWebSocket.CloseHandler onClose) {
    List<Target> now = targets;
    Target target = now.get(Math.floorMod(targetCursor.getAndIncrement(), now.size()));
    return RawWebSocket.connect(
        netClients[clientId % netClients.length],
        target.host(),
        target.port(),
        target.path(),
        onText,
        onClose);
  }

  /** The channel's index, or -1 for a channel this run does not use. */
  int channelIndex(String channel) {
    Integer index = channel == null ? null : channels.get(channel);
    return index == null ? -1 : index;
  }
}
