package io.wsfleet.e2e.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wsfleet.e2e.cli.Args;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark coordinator (started by e2e/bench/run.sh): starts Redis (fleet shape), the ws-node
 * servers and the client processes, measures what a held idle subscribed connection costs a server
 * and how fast one broadcast reaches every subscriber, prints one figure a line and writes them as
 * JSON. Every process it starts is stopped before it returns, and its pid is in the pid file for
 * the script's trap.
 */
public final class Bench {

  private static final Pattern STARTED =
      Pattern.compile("event=started .*client_port=(\\d+) admin_port=(\\d+)");
  private static final Pattern CONNECTED_LINE =
      Pattern.compile(
          "CONNECTED (\\d+) failed=(\\d+) unfinished=(\\d+) retries=(\\d+) ms=(\\d+)"
              + " reasons=(\\S+) retry_reasons=(\\S+)");
  private static final Pattern PROGRESS_LINE = Pattern.compile("PROGRESS connected=(\\d+)");
  private static final int CONNECTIONS_PER_SOURCE = 2000;

  private final Settings settings;
  private final PrintStream out;
  private final PrintStream log;
  private final String token = UUID.randomUUID().toString();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Child> clients = new CopyOnWriteArrayList<>();
  private final List<Server> servers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  // A fresh second octet of the clients' source addresses each run (127.<octet>.<client>.<n>).
  private final int octet = ThreadLocalRandom.current().nextInt(16, 250);
  private volatile Child redis;

  /** What to run; see e2e/bench/run.sh for the defaults of each shape. */
  record Settings(
      String shape,
      int connections,
      int serverCount,
      int clientCount,
      int messages,
      int gapSeconds,
      int concurrency,
      int rate,
      int retries,
      String serverHeap,
      String clientHeap,
      Path wsNodeJar,
      Path outDir,
      Path pidFile,
      int timeLimitSeconds,
      int connectSeconds) {

    static Settings from(Map<String, String> args) {
      Path outDir = Path.of(args.getOrDefault("out-dir", "e2e/target/bench"));
      return new Settings(
          Args.required(args, "shape"),
          Args.integer(args, "connections", 2000),
          Args.integer(args, "servers", 1),
          Args.integer(args, "clients", 2),
          Args.integer(args, "messages", 5),
          Args.integer(args, "gap-seconds", 3),
          Args.integer(args, "concurrency", 200),
          Args.integer(args, "rate", 3000),
          Args.integer(args, "retries", 3),
          args.getOrDefault("server-heap", "1g"),
          args.getOrDefault("client-heap", "1g"),
          Path.of(args.getOrDefault("ws-node-jar", "ws-node/target/ws-node.jar")),
          outDir,
          Path.of(args.getOrDefault("pid-file", outDir.resolve("pids").toString())),
          Args.integer(args, "time-limit-seconds", 600),
          Args.integer(args, "connect-seconds", 240));
    }

    List<String> serverJvmFlags() {
      List<String> flags =
          new ArrayList<>(
              List.of(
                  "-Xms" + serverHeap, "-Xmx" + serverHeap, "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"));
      String extra = System.getenv("SERVER_JVM_EXTRA_FLAGS");
      if (extra != null && !extra.isBlank()) {
        flags.addAll(List.of(extra.trim().split("\\s+")));
      }
      return flags;
    }

    List<String> clientJvmFlags() {
      return List.of("-Xms256m", "-Xmx" + clientHeap, "-XX:+UseG1GC");
    }
  }

  /** A ws-node process and what was measured on it. */
  private static final class Server {
    final Child process;
    int clientPort;
    int adminPort;
    long heapBefore;
    long heapAfter;
    long rssBefore;
    long rssAfter;
    long connections;

    Server(Child process) {
      this.process = process;
    }

    double heapPerConnection() {
      return connections == 0 ? Double.NaN : (heapAfter - heapBefore) / (double) connections;
    }

    double rssPerConnection() {
      return connections == 0 ? Double.NaN : (rssAfter - rssBefore) / (double) connections;
    }
  }

  private Bench(Settings settings, PrintStream out, PrintStream log) {
    this.settings = settings;
    this.out = out;
    this.log = log;
  }

  public static void main(String[] argv) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    Settings settings;
    try {
      settings = Settings.from(Args.parse(argv));
    } catch (IllegalArgumentException e) {
      log.println(
          "bench: "
              + e.getMessage()
              + "\nusage: bash e2e/bench/run.sh single|fleet (it passes --shape, --connections, ...)");
      System.exit(2);
      return;
    }
    Bench bench = new Bench(settings, out, log);
    Thread hook = new Thread(bench::stopAll, "stop-children");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(settings.timeLimitSeconds() * 1000L);
                log.println("bench: time limit of " + settings.timeLimitSeconds() + " s reached");
                bench.stopAll();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "time-limit");
    watchdog.setDaemon(true);
    watchdog.start();
    int code;
    try {
      code = bench.run();
    } catch (Exception e) {
      log.println("bench: FAILED: " + e);
      code = 1;
    } finally {
      bench.stopAll();
    }
    System.exit(code);
  }

  private int run() throws Exception {
    Files.createDirectories(settings.outDir());
    Path logs = settings.outDir().resolve("logs-" + settings.shape());
    Files.createDirectories(logs);
    String redisAddress = "fleet".equals(settings.shape()) ? startRedis(logs) : null;
    startServers(logs, redisAddress);
    startClients(logs);

    log.println("bench: measuring servers before connections (jcmd GC.run, GC.heap_info, VmRSS)");
    for (Server server : servers) {
      server.heapBefore = JvmProbe.heapUsedAfterGc(server.process.pid());
      server.rssBefore = JvmProbe.rssBytes(server.process.pid());
    }
    Server first = servers.get(0);
    String histogramBefore = JvmProbe.classHistogram(first.process.pid());

    ConnectResult connect = connectAll();

    long held = awaitConnectionsHeld(connect.connected());
    log.println("bench: measuring servers after connections");
    for (Server server : servers) {
      server.heapAfter = JvmProbe.heapUsedAfterGc(server.process.pid());
      server.rssAfter = JvmProbe.rssBytes(server.process.pid());
    }
    String histogramAfter = JvmProbe.classHistogram(first.process.pid());
    Path histogramFile = settings.outDir().resolve("histogram-" + settings.shape() + ".txt");
    writeHistogram(histogramFile, first, histogramBefore, histogramAfter);

    List<Broadcast> broadcasts =
        new Fanout(first.clientPort, "127." + octet + ".0.1", clients, pidGroups(), log)
            .run(settings);

    report(connect, held, broadcasts, histogramFile);
    return held == settings.connections() && broadcasts.stream().allMatch(b -> b.received() == held)
        ? 0
        : 4;
  }

  private Map<String, List<Long>> pidGroups() {
    Map<String, List<Long>> groups = new LinkedHashMap<>();
    groups.put("servers", servers.stream().map(s -> s.process.pid()).toList());
    groups.put("clients", clients.stream().map(Child::pid).toList());
    if (redis != null) {
      groups.put("redis", List.of(redis.pid()));
    }
    return groups;
  }

  private String startRedis(Path logs) throws IOException, InterruptedException {
    int port = freePort();
    redis =
        startChild(
            "redis",
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no"),
            Map.of(),
            logs.resolve("redis.log"),
            settings.pidFile());
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!accepting(port)) {
      if (System.nanoTime() > deadline || !redis.alive()) {
        throw new IOException("redis-server did not start on port " + port);
      }
      Thread.sleep(100);
    }
    log.println("bench: redis-server on 127.0.0.1:" + port + " (pid " + redis.pid() + ")");
    return "127.0.0.1:" + port;
  }

  private void startServers(Path logs, String redisAddress)
      throws IOException, InterruptedException {
    int perServer = ceilDiv(settings.connections(), settings.serverCount());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < settings.serverCount(); i++) {
      Map<String, String> env = new HashMap<>();
      env.put("WSNODE_HOST", "127.0.0.1");
      env.put("WSNODE_CLIENT_PORT", "0");
      env.put("WSNODE_ADMIN_PORT", "0");
      env.put("WSNODE_MAX_CONNECTIONS", Integer.toString(perServer + 1000));
      env.put("WSNODE_ADMIN_TOKEN", token);
      if (redisAddress != null) {
        env.put("WSNODE_REDIS_ADDRESS", redisAddress);
      }
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(settings.serverJvmFlags());
      command.add("-jar");
      command.add(settings.wsNodeJar().toString());
      servers.add(
          new Server(
              startChild(
                  "server-" + i,
                  command,
                  env,
                  logs.resolve("server-" + i + ".log"),
                  settings.pidFile())));
    }
    for (Server server : servers) {
      String started = server.process.awaitContaining("event=started", Duration.ofSeconds(60));
      Matcher ports = started == null ? null : STARTED.matcher(started);
      if (ports == null || !ports.find()) {
        throw new IOException(server.process.name + " did not start; see its log in " + logs);
      }
      server.clientPort = Integer.parseInt(ports.group(1));
      server.adminPort = Integer.parseInt(ports.group(2));
      awaitReady(server);
      log.printf(
          Locale.ROOT,
          "bench: %s pid %d client port %d admin port %d%n",
          server.process.name,
          server.process.pid(),
          server.clientPort,
          server.adminPort);
    }
  }

  private void awaitReady(Server server) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> ready = get(server, "/health/ready");
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IOException(server.process.name + " never became ready");
  }

  private void startClients(Path logs) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String ports =
        String.join(",", servers.stream().map(s -> Integer.toString(s.clientPort)).toList());
    int base = settings.connections() / settings.clientCount();
    int extra = settings.connections() % settings.clientCount();
    for (int i = 0; i < settings.clientCount(); i++) {
      int count = base + (i < extra ? 1 : 0);
      int sourceCount = Math.max(1, ceilDiv(count, CONNECTIONS_PER_SOURCE));
      List<String> sources = new ArrayList<>();
      for (int s = 1; s <= sourceCount; s++) {
        sources.add("127." + octet + "." + (i + 1) + "." + s);
      }
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(settings.clientJvmFlags());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(BenchClient.class.getName());
      command.addAll(
          List.of(
              "--ports", ports,
              "--server-offset", Integer.toString(i),
              "--connections", Integer.toString(count),
              "--sources", String.join(",", sources),
              "--concurrency", Integer.toString(settings.concurrency()),
              "--rate", Integer.toString(settings.rate()),
              "--retries", Integer.toString(settings.retries()),
              "--connect-seconds", Integer.toString(settings.connectSeconds()),
              "--max-seconds", Integer.toString(settings.timeLimitSeconds() + 60)));
      Child client =
          startChild(
              "client-" + i,
              command,
              Map.of(),
              logs.resolve("client-" + i + ".log"),
              settings.pidFile());
      clients.add(client);
      log.printf(
          Locale.ROOT,
          "bench: client-%d pid %d: %d connections from %s..%s%n",
          i,
          client.pid(),
          count,
          sources.get(0),
          sources.get(sources.size() - 1));
    }
    for (Child client : clients) {
      if (client.awaitLine("READY", Duration.ofSeconds(60)) == null) {
        throw new IOException(client.name + " did not start; see its log in " + logs);
      }
    }
  }

  /** What the connect phase achieved. */
  record ConnectResult(
      long connected,
      long failed,
      long unfinished,
      long retries,
      double seconds,
      Map<String, Long> failureReasons,
      Map<String, Long> retryReasons) {}

  private ConnectResult connectAll() throws IOException, InterruptedException {
    log.printf(
        Locale.ROOT,
        "bench: connecting %d clients' %d connections (at most %d/s and %d in flight per client)%n",
        clients.size(),
        settings.connections(),
        settings.rate(),
        settings.concurrency());
    long start = System.nanoTime();
    for (Child client : clients) {
      client.send("CONNECT");
    }
    long[] progress = new long[clients.size()];
    Matcher[] done = new Matcher[clients.size()];
    long end = start;
    long deadline = start + Duration.ofSeconds(settings.connectSeconds() + 30L).toNanos();
    long nextPrint = start + Duration.ofSeconds(3).toNanos();
    int finished = 0;
    while (finished < clients.size() && System.nanoTime() < deadline) {
      boolean any = false;
      for (int i = 0; i < clients.size(); i++) {
        String line;
        while (done[i] == null && (line = clients.get(i).poll(Duration.ZERO)) != null) {
          any = true;
          Matcher connected = CONNECTED_LINE.matcher(line);
          Matcher progressLine = PROGRESS_LINE.matcher(line);
          if (connected.find()) {
            done[i] = connected;
            progress[i] = Long.parseLong(connected.group(1));
            finished++;
            end = System.nanoTime();
          } else if (progressLine.find()) {
            progress[i] = Long.parseLong(progressLine.group(1));
          }
        }
        if (done[i] == null && !clients.get(i).alive()) {
          throw new IOException(clients.get(i).name + " exited while connecting");
        }
      }
      if (System.nanoTime() > nextPrint) {
        log.printf(
            Locale.ROOT,
            "bench: %d of %d connected%n",
            Arrays.stream(progress).sum(),
            settings.connections());
        nextPrint = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      }
      if (!any) {
        Thread.sleep(10);
      }
    }
    if (finished < clients.size()) {
      throw new IOException("clients did not finish connecting in time");
    }
    long connected = 0;
    long failed = 0;
    long unfinished = 0;
    long retries = 0;
    Map<String, Long> failureReasons = new TreeMap<>();
    Map<String, Long> retryReasons = new TreeMap<>();
    for (Matcher m : done) {
      connected += Long.parseLong(m.group(1));
      failed += Long.parseLong(m.group(2));
      unfinished += Long.parseLong(m.group(3));
      retries += Long.parseLong(m.group(4));
      addReasons(failureReasons, m.group(6));
      addReasons(retryReasons, m.group(7));
    }
    double seconds = (end - start) / 1e9;
    log.printf(Locale.ROOT, "bench: %d connected in %.2f s%n", connected, seconds);
    return new ConnectResult(
        connected, failed, unfinished, retries, seconds, failureReasons, retryReasons);
  }

  /** Adds {@code reason=count;...} (or {@code -}) as a client prints it. */
  private static void addReasons(Map<String, Long> into, String reasons) {
    if ("-".equals(reasons)) {
      return;
    }
    for (String entry : reasons.split(";")) {
      int equals = entry.lastIndexOf('=');
      if (equals > 0) {
        into.merge(
            entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)), Long::sum);
      }
    }
  }

  /** Sums wsnode_connections until it reaches what the clients report (bounded). */
  private long awaitConnectionsHeld(long expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long held;
    do {
      held = 0;
      for (Server server : servers) {
        server.connections = metric(server, "wsnode_connections");
        held += server.connections;
      }
      if (held >= expected) {
        break;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return held;
  }

  private long metric(Server server, String name) throws IOException, InterruptedException {
    HttpResponse<String> metrics = get(server, "/metrics");
    if (metrics.statusCode() != 200) {
      throw new IOException("GET /metrics of " + server.process.name + ": " + metrics.statusCode());
    }
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new IOException("no " + name + " in the metrics of " + server.process.name);
  }

  private HttpResponse<String> get(Server server, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void writeHistogram(Path file, Server server, String before, String after)
      throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "# jcmd %d GC.class_histogram of %s (shape %s) with %d connections held, top 20%n",
            server.process.pid(),
            server.process.name,
            settings.shape(),
            server.connections));
    text.append(JvmProbe.top(after, 20));
    text.append(
        String.format(
            Locale.ROOT,
            "%n# Growth from before the clients connected to after, per connection (%d on this"
                + " server), top 20%n",
            server.connections));
    text.append(
        String.format(Locale.ROOT, "%12s %12s  %s%n", "bytes/conn", "objects/conn", "class"));
    long totalGrowth = 0;
    List<JvmProbe.ClassRow> growth =
        JvmProbe.growth(JvmProbe.parseHistogram(before), JvmProbe.parseHistogram(after));
    for (JvmProbe.ClassRow row : growth) {
      totalGrowth += row.bytes();
    }
    for (JvmProbe.ClassRow row : growth.subList(0, Math.min(20, growth.size()))) {
      text.append(
          String.format(
              Locale.ROOT,
              "%12.1f %12.2f  %s%n",
              row.bytes() / (double) Math.max(1, server.connections),
              row.instances() / (double) Math.max(1, server.connections),
              row.className()));
    }
    text.append(
        String.format(
            Locale.ROOT,
            "%12.1f %12s  (all classes, live objects)%n",
            totalGrowth / (double) Math.max(1, server.connections),
            ""));
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    Files.writeString(
        settings.outDir().resolve("histogram-" + settings.shape() + "-full-after.txt"),
        after,
        StandardCharsets.UTF_8);
    Files.writeString(
        settings.outDir().resolve("histogram-" + settings.shape() + "-full-before.txt"),
        before,
        StandardCharsets.UTF_8);
  }

  /** One broadcast's latencies as measured by every client process. */
  record Broadcast(
      int seq, long received, long[] sortedMicros, Map<String, Long> cpuMillis, long wallMillis) {

    Broadcast withCpu(Map<String, Long> cpu, long wall) {
      return new Broadcast(seq, received, sortedMicros, cpu, wall);
    }
  }

  private void report(
      ConnectResult connect, long held, List<Broadcast> broadcasts, Path histogramFile)
      throws IOException {
    JsonObject json =
        new JsonObject()
            .put("shape", settings.shape())
            .put("servers", settings.serverCount())
            .put("clientProcesses", settings.clientCount())
            .put("connectionsTarget", settings.connections())
            .put("serverJvmFlags", String.join(" ", settings.serverJvmFlags()))
            .put("clientJvmFlags", String.join(" ", settings.clientJvmFlags()))
            .put("javaVersion", System.getProperty("java.version"))
            .put("availableProcessors", Runtime.getRuntime().availableProcessors());
    line("shape", settings.shape());
    line(
        "servers",
        settings.serverCount() + (redis != null ? " (sharing one Redis)" : " (in-process broker)"));
    line("client_processes", Integer.toString(settings.clientCount()));
    line("server_jvm_flags", String.join(" ", settings.serverJvmFlags()));
    line("client_jvm_flags", String.join(" ", settings.clientJvmFlags()));
    line("connections_target", Integer.toString(settings.connections()));
    line("connections_held", Long.toString(held));
    line(
        "connect_failures",
        connect.failed()
            + (connect.failureReasons().isEmpty() ? "" : " " + connect.failureReasons())
            + " (unfinished "
            + connect.unfinished()
            + "; attempts retried "
            + connect.retries()
            + (connect.retryReasons().isEmpty() ? "" : " " + connect.retryReasons())
            + ")");
    double handshakes = connect.connected() / connect.seconds();
    line(
        "handshakes_per_s",
        String.format(
            Locale.ROOT,
            "%.0f (%d connections in %.2f s; cap %d/s and %d in flight per client process)",
            handshakes,
            connect.connected(),
            connect.seconds(),
            settings.rate(),
            settings.concurrency()));
    json.put("connectionsHeld", held)
        .put("connectFailures", connect.failed())
        .put("connectFailureReasons", new JsonObject(new HashMap<>(connect.failureReasons())))
        .put("connectRetryReasons", new JsonObject(new HashMap<>(connect.retryReasons())))
        .put("connectUnfinished", connect.unfinished())
        .put("connectRetries", connect.retries())
        .put("connectSeconds", connect.seconds())
        .put("handshakesPerSecond", handshakes);

    JsonArray perServer = new JsonArray();
    double heapSum = 0;
    double rssSum = 0;
    for (Server server : servers) {
      line(
          "heap_per_conn_bytes " + server.process.name,
          String.format(
              Locale.ROOT,
              "%.0f (%.1f KiB; used after GC %d -> %d KiB, %d connections)",
              server.heapPerConnection(),
              server.heapPerConnection() / 1024,
              server.heapBefore / 1024,
              server.heapAfter / 1024,
              server.connections));
      heapSum += server.heapPerConnection();
      rssSum += server.rssPerConnection();
      perServer.add(
          new JsonObject()
              .put("name", server.process.name)
              .put("pid", server.process.pid())
              .put("connections", server.connections)
              .put("heapUsedBeforeBytes", server.heapBefore)
              .put("heapUsedAfterBytes", server.heapAfter)
              .put("heapPerConnectionBytes", server.heapPerConnection())
              .put("rssBeforeBytes", server.rssBefore)
              .put("rssAfterBytes", server.rssAfter)
              .put("rssPerConnectionBytes", server.rssPerConnection()));
    }
    double heapAvg = heapSum / servers.size();
    line(
        "heap_per_conn_bytes_avg",
        String.format(
            Locale.ROOT,
            "%.0f (%.2f KiB; target <= 6 KiB: %s)",
            heapAvg,
            heapAvg / 1024,
            heapAvg <= 6 * 1024 ? "met" : "MISSED"));
    for (Server server : servers) {
      line(
          "rss_per_conn_bytes " + server.process.name,
          String.format(
              Locale.ROOT,
              "%.0f (%.1f KiB; VmRSS %d -> %d MiB)",
              server.rssPerConnection(),
              server.rssPerConnection() / 1024,
              server.rssBefore >> 20,
              server.rssAfter >> 20));
    }
    double rssAvg = rssSum / servers.size();
    line(
        "rss_per_conn_bytes_avg",
        String.format(Locale.ROOT, "%.0f (%.2f KiB)", rssAvg, rssAvg / 1024));
    json.put("perServer", perServer)
        .put("heapPerConnectionBytesAvg", heapAvg)
        .put("rssPerConnectionBytesAvg", rssAvg);

    JsonArray fanout = new JsonArray();
    List<long[]> all = new ArrayList<>();
    long receivedAll = 0;
    for (Broadcast broadcast : broadcasts) {
      line(
          "fanout msg=" + broadcast.seq(),
          fanoutLine(broadcast.sortedMicros(), broadcast.received(), held));
      fanout.add(
          fanoutJson(broadcast.sortedMicros(), broadcast.received(), held)
              .put("seq", broadcast.seq())
              .put("cpuMillis", new JsonObject(new LinkedHashMap<>(broadcast.cpuMillis())))
              .put("windowMillis", broadcast.wallMillis()));
      all.add(broadcast.sortedMicros());
      receivedAll += broadcast.received();
    }
    for (Broadcast broadcast : broadcasts) {
      StringBuilder cpu = new StringBuilder();
      broadcast
          .cpuMillis()
          .forEach((group, ms) -> cpu.append(group).append('=').append(ms).append(" ms "));
      line(
          "fanout_cpu msg=" + broadcast.seq(),
          String.format(
              Locale.ROOT,
              "%sin a %d ms window (publish to last report; %d cores = %d CPU-ms)",
              cpu,
              broadcast.wallMillis(),
              Runtime.getRuntime().availableProcessors(),
              broadcast.wallMillis() * Runtime.getRuntime().availableProcessors()));
    }
    long[] overall = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    long expectedAll = held * broadcasts.size();
    line("fanout overall", fanoutLine(overall, receivedAll, expectedAll));
    double p99Ms = percentile(overall, 0.99) / 1000.0;
    if ("fleet".equals(settings.shape())) {
      line(
          "fanout_p99_target",
          String.format(Locale.ROOT, "under 1 s: %s", p99Ms < 1000 ? "met" : "MISSED"));
    }
    json.put("fanout", fanout).put("fanoutOverall", fanoutJson(overall, receivedAll, expectedAll));
    line("histogram", histogramFile.toString());
    Path jsonFile = settings.outDir().resolve("result-" + settings.shape() + ".json");
    json.put("histogramFile", histogramFile.toString());
    Files.writeString(jsonFile, json.encodePrettily() + "\n", StandardCharsets.UTF_8);
    line("json", jsonFile.toString());
  }

  private static String fanoutLine(long[] sorted, long received, long expected) {
    return String.format(
        Locale.ROOT,
        "received=%d/%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f",
        received,
        expected,
        percentile(sorted, 0.50) / 1000.0,
        percentile(sorted, 0.99) / 1000.0,
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0);
  }

  private static JsonObject fanoutJson(long[] sorted, long received, long expected) {
    return new JsonObject()
        .put("received", received)
        .put("expected", expected)
        .put("p50Ms", percentile(sorted, 0.50) / 1000.0)
        .put("p99Ms", percentile(sorted, 0.99) / 1000.0)
        .put("maxMs", sorted.length == 0 ? null : sorted[sorted.length - 1] / 1000.0);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private void line(String name, String value) {
    out.println(name + ": " + value);
  }

  /** Stops clients first (they exit by themselves on STOP), then servers, then Redis; once. */
  private void stopAll() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    for (Child client : clients) {
      try {
        client.send("STOP");
      } catch (IOException e) {
        // a client that cannot hear STOP is killed below
      }
    }
    try {
      for (Child client : clients) {
        client.awaitExit(Duration.ofSeconds(10));
        client.kill();
      }
      for (Server server : servers) {
        server.process.kill();
      }
      if (redis != null) {
        redis.kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a child unless the run was already stopped (time limit or signal). */
  private Child startChild(
      String name, List<String> command, Map<String, String> env, Path logFile, Path pidFile)
      throws IOException {
    if (stopped.get()) {
      throw new IOException("stopped before " + name + " could start");
    }
    return Child.start(name, command, env, logFile, pidFile);
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
