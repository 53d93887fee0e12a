package io.wsfleet.e2e.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.wsfleet.e2e.ws.Clock;
import io.wsfleet.e2e.ws.RawWebSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes a few broadcasts through a separate publisher connection, each carrying its send time,
 * and collects from every client process how long each of its connections took to receive it.
 */
final class Fanout {

  private static final Pattern LATENCY_LINE =
      Pattern.compile("LATENCY seq=(\\d+) count=(\\d+) open=(\\d+) micros=(\\S*)");
  private static final long REPORT_WAIT_MILLIS = 20_000;

  private final int port;
  private final String sourceAddress;
  private final List<Child> clients;
  private final Map<String, List<Long>> pidGroups;
  private final PrintStream log;

  /**
   * {@code pidGroups}: processes whose CPU time is summed per group (servers, clients, redis) over
   * each broadcast, to show where the machine's two cores went.
   */
  Fanout(
      int port,
      String sourceAddress,
      List<Child> clients,
      Map<String, List<Long>> pidGroups,
      PrintStream log) {
    this.port = port;
    this.sourceAddress = sourceAddress;
    this.clients = clients;
    this.pidGroups = pidGroups;
    this.log = log;
  }

  private Map<String, Long> cpuMillis() {
    Map<String, Long> cpu = new LinkedHashMap<>();
    pidGroups.forEach(
        (group, pids) ->
            cpu.put(
                group,
                pids.stream()
                    .mapToLong(
                        pid ->
                            ProcessHandle.of(pid)
                                .flatMap(p -> p.info().totalCpuDuration())
                                .map(Duration::toMillis)
                                .orElse(0L))
                    .sum()));
    return cpu;
  }

  List<Bench.Broadcast> run(Bench.Settings settings) throws IOException, InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      NetClient client = vertx.createNetClient(BenchClient.netOptions(sourceAddress));
      BlockingQueue<String> replies = new LinkedBlockingQueue<>();
      RawWebSocket publisher;
      try {
        publisher =
            RawWebSocket.connect(
                    client, "127.0.0.1", port, "/ws", replies::add, (code, reason) -> {})
                .await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException("publisher cannot connect: " + e.getMessage(), e);
      }
      List<Bench.Broadcast> broadcasts = new ArrayList<>();
      for (int seq = 1; seq <= settings.messages(); seq++) {
        if (seq > 1) {
          Thread.sleep(settings.gapSeconds() * 1000L);
        }
        Map<String, Long> cpuBefore = cpuMillis();
        long wallBefore = System.nanoTime();
        long sent = Clock.epochMicros();
        publisher.sendText(
            "{\"op\":\"publish\",\"channel\":\"bench\",\"id\":\"bench-"
                + seq
                + "\",\"payload\":{\"seq\":"
                + seq
                + ",\"sentMicros\":"
                + sent
                + "}}");
        awaitAck(replies, seq);
        Bench.Broadcast broadcast = collect(seq);
        Map<String, Long> cpu = cpuMillis();
        cpu.replaceAll((group, after) -> after - cpuBefore.getOrDefault(group, 0L));
        broadcasts.add(
            broadcast.withCpu(cpu, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wallBefore)));
      }
      publisher.abort();
      return broadcasts;
    } finally {
      vertx.close();
    }
  }

  /** Waits (at most 10 s) for the {@code published} reply to publish {@code seq}. */
  private static void awaitAck(BlockingQueue<String> replies, int seq)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> other = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String reply = replies.poll(100, TimeUnit.MILLISECONDS);
      if (reply == null) {
        continue;
      }
      if (reply.contains("\"type\":\"published\"") && reply.contains("\"bench-" + seq + "\"")) {
        return;
      }
      other.add(reply);
    }
    throw new IOException("publish " + seq + " not acknowledged within 10 s; got " + other);
  }

  private Bench.Broadcast collect(int seq) throws IOException, InterruptedException {
    for (Child client : clients) {
      client.send("REPORT " + seq + " " + REPORT_WAIT_MILLIS);
    }
    List<long[]> parts = new ArrayList<>();
    long received = 0;
    for (Child client : clients) {
      String line =
          client.awaitLine(
              "LATENCY seq=" + seq + " ", Duration.ofMillis(REPORT_WAIT_MILLIS + 15_000));
      Matcher latency = line == null ? null : LATENCY_LINE.matcher(line);
      if (latency == null || !latency.find()) {
        throw new IOException(client.name + " reported no latencies for broadcast " + seq);
      }
      long count = Long.parseLong(latency.group(2));
      received += count;
      String micros = latency.group(4);
      long[] values =
          micros.isEmpty()
              ? new long[0]
              : Arrays.stream(micros.split(",")).mapToLong(Long::parseLong).toArray();
      parts.add(values);
    }
    long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    log.printf(
        Locale.ROOT,
        "bench: broadcast %d reached %d subscribers, p99 %.1f ms%n",
        seq,
        received,
        Bench.percentile(all, 0.99) / 1000.0);
    return new Bench.Broadcast(seq, received, all, Map.of(), 0);
  }
}
