package io.wsfleet.e2e.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.wsfleet.e2e.cli.Args;
import io.wsfleet.e2e.ws.Clock;
import io.wsfleet.e2e.ws.RawWebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One client process of the benchmark: opens idle subscribed WebSocket connections at a bounded
 * rate, spread over several loopback source addresses and servers, and records how long each
 * broadcast took to reach each of them.
 *
 * <p>Talks to the coordinator by lines: it reads {@code CONNECT}, {@code REPORT <seq> <waitMs>},
 * {@code STATUS} and {@code STOP} on stdin and prints {@code READY}, {@code PROGRESS ...}, {@code
 * CONNECTED ...}, {@code LATENCY ...} and {@code STATUS ...} on stdout. It exits on {@code STOP},
 * when stdin closes, or after {@code --max-seconds}, whichever comes first.
 */
public final class BenchClient {

  private static final String SUBSCRIBED = "\"type\":\"subscribed\"";
  private static final String MESSAGE = "\"type\":\"message\"";
  private static final long SUBSCRIBE_TIMEOUT_MILLIS = 15_000;

  private final PrintStream out;
  private final String host;
  private final int[] ports;
  private final int serverOffset;
  private final int total;
  private final int rate;
  private final int maxRetries;
  private final long connectDeadlineMillis;
  private final String subscribeFrame;
  private final Vertx vertx;
  private final NetClient[] clients;
  private final Semaphore inFlight;
  private final ConcurrentLinkedQueue<Conn> retryQueue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger nextIndex = new AtomicInteger();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger retried = new AtomicInteger();
  private final AtomicInteger pendingRetries = new AtomicInteger();
  private final AtomicInteger closedAfterConnect = new AtomicInteger();
  private final AtomicBoolean stopLaunching = new AtomicBoolean();
  private final Map<String, AtomicInteger> failureReasons = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> retryReasons = new ConcurrentHashMap<>();
  private final Map<Integer, Samples> samples = new ConcurrentHashMap<>();

  /** One attempt at one connection; a retry is a new attempt with the same index. */
  private static final class Conn {
    final int index;
    final int attempt;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile boolean subscribed;
    volatile long timer = -1;
    volatile RawWebSocket socket;

    Conn(int index, int attempt) {
      this.index = index;
      this.attempt = attempt;
    }
  }

  /** Latencies of one broadcast, in microseconds, one slot per connection. */
  private static final class Samples {
    final AtomicLongArray micros;
    final AtomicInteger count = new AtomicInteger();

    Samples(int capacity) {
      micros = new AtomicLongArray(capacity);
    }

    void add(long value) {
      int i = count.getAndIncrement();
      if (i < micros.length()) {
        micros.set(i, value);
      }
    }
  }

  private BenchClient(Map<String, String> args, PrintStream out) {
    this.out = out;
    this.host = args.getOrDefault("host", "127.0.0.1");
    this.ports = Args.ints(args, "ports");
    this.serverOffset = Args.integer(args, "server-offset", 0);
    this.total = Args.integer(args, "connections", 1000);
    this.rate = Math.max(1, Args.integer(args, "rate", 2000));
    this.maxRetries = Args.integer(args, "retries", 3);
    this.connectDeadlineMillis = 1000L * Args.integer(args, "connect-seconds", 300);
    String channel = args.getOrDefault("channel", "bench");
    this.subscribeFrame = "{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}";
    this.inFlight = new Semaphore(Math.max(1, Args.integer(args, "concurrency", 200)));
    this.vertx = Vertx.vertx();
    List<String> sources = Args.list(args, "sources");
    // One client per source address; see RawWebSocket for why not Vert.x's WebSocketClient.
    this.clients = new NetClient[sources.size()];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = vertx.createNetClient(netOptions(sources.get(i)));
    }
  }

  static NetClientOptions netOptions(String sourceAddress) {
    return new NetClientOptions()
        .setLocalAddress(sourceAddress)
        .setConnectTimeout(10_000)
        .setTcpNoDelay(true)
        // Exit resets the sockets instead of leaving ~18,000 in TIME_WAIT per run, which would
        // keep their ports from later runs and from other connects.
        .setSoLinger(0);
  }

  public static void main(String[] argv) throws InterruptedException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Map<String, String> args = Args.parse(argv);
    long maxMillis = 1000L * Args.integer(args, "max-seconds", 900);
    BenchClient client = new BenchClient(args, out);
    int code = client.serve(maxMillis);
    out.flush();
    System.exit(code);
  }

  /** Runs commands from stdin until STOP, end of input or the time limit. */
  private int serve(long maxMillis) throws InterruptedException {
    BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  commands.add(line.trim());
                }
              } catch (IOException e) {
                // treated as end of input
              }
              commands.add("EOF");
            },
            "stdin");
    reader.setDaemon(true);
    reader.start();
    say("READY sources=" + clients.length + " connections=" + total);
    long deadline = System.currentTimeMillis() + maxMillis;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      String command = left <= 0 ? null : commands.poll(left, TimeUnit.MILLISECONDS);
      if (command == null) {
        say("TIMEOUT client ran longer than its limit; exiting");
        return 3;
      }
      String[] words = command.split("\\s+");
      switch (words[0]) {
        case "CONNECT" -> {
          Thread pacer = new Thread(this::connectAll, "pacer");
          pacer.setDaemon(true);
          pacer.start();
        }
        case "REPORT" -> report(Integer.parseInt(words[1]), Long.parseLong(words[2]));
        case "STATUS" -> say(status());
        case "STOP", "EOF" -> {
          stopLaunching.set(true);
          say("STOPPED");
          return 0;
        }
        default -> say("ERROR unknown command " + command);
      }
    }
  }

  private String status() {
    return "STATUS connected="
        + connected.get()
        + " open="
        + (connected.get() - closedAfterConnect.get())
        + " closed_after_connect="
        + closedAfterConnect.get()
        + " failed="
        + failed.get();
  }

  /** Opens every connection at most {@code rate} a second with a bounded number in flight. */
  private void connectAll() {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(connectDeadlineMillis);
    long launched = 0;
    long nextProgress = start + TimeUnit.SECONDS.toNanos(2);
    try {
      while (connected.get() + failed.get() < total) {
        long now = System.nanoTime();
        if (now > deadline) {
          break;
        }
        long allowed = (long) ((now - start) / 1e9 * rate) + 1 - launched;
        while (allowed > 0 && inFlight.tryAcquire()) {
          Conn next = retryQueue.poll();
          if (next == null) {
            int index = nextIndex.getAndIncrement();
            if (index >= total) {
              nextIndex.set(total);
              inFlight.release();
              break;
            }
            next = new Conn(index, 0);
          }
          launch(next);
          launched++;
          allowed--;
        }
        if (now > nextProgress) {
          say(
              "PROGRESS connected="
                  + connected.get()
                  + " failed="
                  + failed.get()
                  + " retrying="
                  + pendingRetries.get()
                  + " launched="
                  + launched);
          nextProgress = now + TimeUnit.SECONDS.toNanos(2);
        }
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopLaunching.set(true);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    int unfinished = total - connected.get() - failed.get();
    say(
        "CONNECTED "
            + connected.get()
            + " failed="
            + failed.get()
            + " unfinished="
            + unfinished
            + " retries="
            + retried.get()
            + " ms="
            + millis
            + " reasons="
            + describe(failureReasons)
            + " retry_reasons="
            + describe(retryReasons));
  }

  /** {@code reason=count;...} with no blanks, or {@code -} if none. */
  private static String describe(Map<String, AtomicInteger> reasons) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(reasons)
        .forEach(
            (reason, n) ->
                text.append(text.length() == 0 ? "" : ";")
                    .append(reason.replaceAll("[\\s;=]+", "_"))
                    .append('=')
                    .append(n.get()));
    return text.length() == 0 ? "-" : text.toString();
  }

  private void launch(Conn conn) {
    int port = ports[(serverOffset + conn.index) % ports.length];
    NetClient client = clients[conn.index % clients.length];
    conn.timer =
        vertx.setTimer(
            SUBSCRIBE_TIMEOUT_MILLIS,
            id -> {
              if (!conn.subscribed) {
                fail(conn, "no subscribed reply in time");
                RawWebSocket socket = conn.socket;
                if (socket != null) {
                  socket.abort();
                }
              }
            });
    RawWebSocket.connect(
            client, host, port, "/ws", text -> onText(conn, text), (code, reason) -> onClose(conn))
        .onComplete(
            opened -> {
              if (opened.failed()) {
                Throwable cause = opened.cause();
                fail(conn, cause.getClass().getSimpleName() + ":" + cause.getMessage());
                return;
              }
              conn.socket = opened.result();
              if (conn.settled.get()) {
                conn.socket.abort(); // timed out meanwhile
              } else {
                conn.socket.sendText(subscribeFrame);
              }
            });
  }

  private void onText(Conn conn, String text) {
    long receivedMicros = Clock.epochMicros();
    if (!conn.subscribed) {
      if (text.contains(SUBSCRIBED) && conn.settled.compareAndSet(false, true)) {
        conn.subscribed = true;
        vertx.cancelTimer(conn.timer);
        inFlight.release();
        connected.incrementAndGet();
      }
      return;
    }
    if (text.contains(MESSAGE)) {
      long seq = Clock.longField(text, "\"seq\":");
      long sent = Clock.longField(text, "\"sentMicros\":");
      if (seq >= 0 && sent >= 0) {
        samples
            .computeIfAbsent((int) seq, s -> new Samples(total))
            .add(Math.max(0, receivedMicros - sent));
      }
    }
  }

  private void onClose(Conn conn) {
    if (conn.subscribed) {
      closedAfterConnect.incrementAndGet();
    } else {
      fail(conn, "closed before the subscribed reply");
    }
  }

  private void fail(Conn conn, String reason) {
    if (!conn.settled.compareAndSet(false, true)) {
      return;
    }
    if (conn.timer >= 0) {
      vertx.cancelTimer(conn.timer);
    }
    inFlight.release();
    if (conn.attempt < maxRetries && !stopLaunching.get()) {
      retried.incrementAndGet();
      retryReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
      pendingRetries.incrementAndGet();
      vertx.setTimer(
          200L * (conn.attempt + 1),
          id -> {
            pendingRetries.decrementAndGet();
            retryQueue.add(new Conn(conn.index, conn.attempt + 1));
          });
    } else {
      failed.incrementAndGet();
      failureReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
    }
  }

  /**
   * Waits until every open connection has received broadcast {@code seq} (or {@code waitMillis}
   * passed), then prints its latencies in microseconds.
   */
  private void report(int seq, long waitMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMillis;
    Samples taken = samples.computeIfAbsent(seq, s -> new Samples(total));
    while (taken.count.get() < connected.get() - closedAfterConnect.get()
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    int n = Math.min(taken.count.get(), taken.micros.length());
    StringBuilder line = new StringBuilder(n * 8 + 64);
    line.append("LATENCY seq=")
        .append(seq)
        .append(" count=")
        .append(n)
        .append(" open=")
        .append(connected.get() - closedAfterConnect.get())
        .append(" micros=");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(taken.micros.get(i));
    }
    say(line.toString());
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
    }
  }
}
