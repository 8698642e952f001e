package dev.translive.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark 1, fan-out: N browser stand-ins (default 10,000) on the raw bridge WebSocket watch one
 * long demo task that publishes progress at 10 Hz. The service runs as its own process (the jar),
 * so its CPU, heap and RSS are its own; this JVM is only the load.
 *
 * <p>With argument {@code 2} (benchmark fanout2) the service is a two-node cluster on this machine
 * ({@link ServerGroup}: node A http,queue,translator, node B http only, PostgreSQL store, Hazelcast bus) and
 * the clients alternate between the two nodes' HTTP ports; the task is uploaded to node A, so node B's
 * clients get their progress over the clustered bus. CPU, heap and RSS are summed over the node processes.
 *
 * <p>BENCH_TARGET picks what the clients speak and to whom: {@code raw} (default; the raw bridge
 * WebSocket at /eventbus/websocket), {@code sockjs} (SockJS's WebSocket transport as sockjs-client speaks
 * it, what browsers use: /eventbus/<server>/<session>/websocket, frames o, h, a[...], c[...]) or {@code node}
 * (the same raw clients against bench/node-broadcaster, a plain Node ws broadcaster: the reference every
 * figure is a ratio to). BENCH_NAME_SUFFIX names a run apart (e.g. "-before" for the previous jar).
 *
 * <p>Environment: BENCH_CLIENTS, BENCH_RAMP_PER_SECOND, BENCH_FANOUT_SECONDS (task length),
 * BENCH_FANOUT_RATE_CAP (bridge.maxMessagesPerSecond), BENCH_LOADGEN_LOOPS, BENCH_SOURCE_ADDRESSES,
 * BENCH_SERVER_XMX, BENCH_SERVER_JFR (a .jfr path: record a profile of the server), BENCH_HEAP_HISTO (a
 * path: the server's class histogram with every client connected and idle), BENCH_SERVER_JVM_OPTS (extra
 * server JVM options, for experiments), BENCH_PG_URL (two nodes: the PostgreSQL server; a fresh schema is made
 * and dropped). With several nodes the JFR and histogram paths get "-node-i" before the extension.
 */
public final class FanoutLoadGenerator {
  private static final String PROGRESS = "translive.progress";
  private static final String QUEUE = "translive.queue";
  private static final boolean DEBUG = System.getenv("BENCH_DEBUG") != null;

  private final int clients = intEnv("BENCH_CLIENTS", 10_000);
  private final int rampPerSecond = intEnv("BENCH_RAMP_PER_SECOND", 1_000);
  private final int taskSeconds = intEnv("BENCH_FANOUT_SECONDS", 60);
  private final int rateCap = intEnv("BENCH_FANOUT_RATE_CAP", 20);
  private final int loops = intEnv("BENCH_LOADGEN_LOOPS", 2);
  private final int sourceAddresses = intEnv("BENCH_SOURCE_ADDRESSES", 4);
  private final String serverXmx = System.getenv().getOrDefault("BENCH_SERVER_XMX", "1g");
  private final String target = System.getenv().getOrDefault("BENCH_TARGET", "raw");
  private final boolean sockJs = target.equals("sockjs");
  /** Service processes the clients are split over: 1 (fanout) or a cluster (fanout2). */
  private final int nodes;
  private final String name;

  // Shared by every shard; all counters are updated from the shards' event loops.
  private final Histogram connectTimes = new Histogram(120_000);
  /** Merged from the shards' histograms at the end. */
  private final Histogram latencies = new Histogram(120_000);
  private final LongAdder deliveries = new LongAdder();
  /** Per message (seq): when the first and the last client received it, merged from the shards. */
  private final Map<Long, long[]> spans = new java.util.HashMap<>();
  private final LongAdder framesBeforeTask = new LongAdder();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger[] connectedByNode;
  private final Histogram[] latenciesByNode;
  private final AtomicInteger connectFailures = new AtomicInteger();
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final Map<String, LongAdder> closeCodes = new ConcurrentHashMap<>();
  /** /health probes during the task: how late the server's HTTP event loop answers, and its socket backlog. */
  private final JsonArray healthProbes = new JsonArray();
  private final AtomicInteger completedClients = new AtomicInteger();
  /** Every seq published for the task, as seen by any client: what each client should have got. */
  private final Set<Long> publishedSeqs = ConcurrentHashMap.newKeySet();
  private final List<Shard> shards = new ArrayList<>();
  private final Promise<Void> allRegistered = Promise.promise();
  private final Promise<Void> allCompleted = Promise.promise();
  /** Frames whose seq is at or after this count toward the task; earlier ones are the initial state. */
  private volatile long windowStartMicros = Long.MAX_VALUE;
  private volatile String taskId;
  private volatile long rampStartNanos;
  private volatile long rampEndNanos;

  FanoutLoadGenerator(int nodes) {
    this.nodes = nodes;
    this.name = (nodes == 1 ? "fanout" : "fanout" + nodes) + (target.equals("raw") ? "" : "-" + target)
        + System.getenv().getOrDefault("BENCH_NAME_SUFFIX", "");
    connectedByNode = new AtomicInteger[nodes];
    latenciesByNode = new Histogram[nodes];
    for (int n = 0; n < nodes; n++) {
      connectedByNode[n] = new AtomicInteger();
      latenciesByNode[n] = new Histogram(120_000);
    }
  }

  /** Argument: the number of service nodes (default 1). */
  public static void main(String[] args) throws Exception {
    new FanoutLoadGenerator(args.length > 0 ? Integer.parseInt(args[0]) : 1).run();
    System.exit(0);
  }

  private List<String> serverJvmOptions(int node) {
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + serverXmx, "-XX:+UseG1GC"));
    String extra = System.getenv("BENCH_SERVER_JVM_OPTS"); // experiments only, e.g. -Dio.netty.noUnsafe=true
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    String jfr = System.getenv("BENCH_SERVER_JFR");
    if (jfr != null && !jfr.isBlank()) {
      jvm.add("-XX:StartFlightRecording=filename=" + perNode(jfr, node).toAbsolutePath() + ",settings=profile,dumponexit=true");
    }
    return jvm;
  }

  /** The path itself with one node; with several, "-node-i" before the extension. */
  private Path perNode(String path, int node) {
    if (nodes == 1) {
      return Path.of(path);
    }
    int dot = path.lastIndexOf('.');
    return Path.of(dot > path.lastIndexOf('/') ? path.substring(0, dot) + "-node-" + node + path.substring(dot)
        : path + "-node-" + node);
  }

  private static String nodeName(int node) {
    return String.valueOf((char) ('A' + node));
  }

  private void run() throws Exception {
    Path work = Files.createTempDirectory("translive-bench-" + name + "-");
    Map<String, String> env = Map.of(
        "TRANSLIVE_ENGINE", "demo",
        // One segment per 100 ms: progress at the translator's 10 Hz ceiling. At this delay the demo
        // engine's batch size is already 1; TRANSLIVE_ENGINES_DEMO_BATCH_SIZE would arrive as a string
        // (the key is absent from the defaults) and fail the start (reported to the lead).
        "TRANSLIVE_DEMO_DELAY_MS", "100",
        "TRANSLIVE_BRIDGE_MAX_CONNECTIONS", String.valueOf(clients + 100),
        // The load comes from a few loopback addresses: the per-client cap must not apply to it.
        "TRANSLIVE_BRIDGE_MAX_CONNECTIONS_PER_CLIENT", String.valueOf(clients + 100),
        "TASK_SECONDS", String.valueOf(taskSeconds),
        "TRANSLIVE_BRIDGE_MAX_MESSAGES_PER_SECOND", String.valueOf(rateCap));
    System.out.printf("%s: %d %s clients over %d node(s), ramp %d/s, task %d s, rate cap %d/s, server -Xmx%s%n",
        name, clients, target, nodes, rampPerSecond, taskSeconds, rateCap, serverXmx);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    try (ServerGroup group = ServerGroup.start(vertx, nodes, work, this::serverJvmOptions, env)) {
      List<ServerProcess> servers = group.nodes;
      int[] ports = servers.stream().mapToInt(s -> s.port).toArray();
      long[] heapIdle0 = new long[nodes];
      long[] rss0 = new long[nodes];
      for (int n = 0; n < nodes; n++) {
        heapIdle0[n] = liveHeap(servers.get(n).pid());
        rss0[n] = ProcStats.rssBytes(servers.get(n).pid());
      }

      vertx.deployVerticle(() -> {
        Shard shard = new Shard(ports);
        synchronized (shards) {
          shards.add(shard);
        }
        return shard;
      }, new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);

      rampStartNanos = System.nanoTime();
      for (int s = 0; s < shards.size(); s++) {
        Shard shard = shards.get(s);
        int share = clients / loops + (s < clients % loops ? 1 : 0);
        shard.context.runOnContext(v -> shard.ramp(share));
      }
      boolean everyoneRegistered = await(allRegistered.future(), clients * 1000L / rampPerSecond + 120_000);
      int connectedAtIdle = connected.get();
      System.out.printf("ramp: %d connected, %d registered, %d failed in %.1f s%n", connectedAtIdle, registered.get(),
          connectFailures.get(), (rampEndNanos - rampStartNanos) / 1e9);

      // Idle: every socket open and registered, nothing published; the cost of a connection itself.
      Thread.sleep(3000); // let straggling initial frames and write buffers drain
      long[] heapIdleN = new long[nodes];
      long[] rssIdleN = new long[nodes];
      double[] cpuBefore = new double[nodes];
      JsonObject[] healthIdle = new JsonObject[nodes];
      String histogramFile = System.getenv("BENCH_HEAP_HISTO");
      for (int n = 0; n < nodes; n++) {
        long pid = servers.get(n).pid();
        healthIdle[n] = new JsonObject(servers.get(n).health());
        heapIdleN[n] = liveHeap(pid);
        if (histogramFile != null && !histogramFile.isBlank() && heapIdleN[n] >= 0) {
          // What the idle connections are made of, for the write-up when the heap target is missed.
          Files.writeString(perNode(histogramFile, n), ProcStats.jcmd(pid, "GC.class_histogram"));
        }
        rssIdleN[n] = ProcStats.rssBytes(pid);
      }

      for (int n = 0; n < nodes; n++) {
        cpuBefore[n] = ProcStats.cpuSeconds(servers.get(n).pid());
      }
      double selfCpuBefore = ProcStats.cpuSeconds(ProcessHandle.current().pid());
      long wallBefore = System.nanoTime();
      windowStartMicros = System.currentTimeMillis() * 1000L;
      taskId = submitLongTask(vertx, group.first().port, taskSeconds);
      // The bridge shares its event loop with /health: the answer time is that loop's lag. Probed from a
      // plain thread, because this JVM's event loops are themselves busy with the load.
      java.util.concurrent.ScheduledExecutorService prober = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      prober.scheduleAtFixedRate(() -> {
        for (int n = 0; n < nodes; n++) {
          long asked = System.nanoTime();
          try {
            JsonObject bridge = bridgeCheck(new JsonObject(servers.get(n).health()));
            synchronized (healthProbes) {
              healthProbes.add(new JsonObject().put("node", nodeName(n))
                  .put("at_seconds", Math.round((asked - wallBefore) / 1e8) / 10.0)
                  .put("answer_ms", (System.nanoTime() - asked) / 1_000_000)
                  .put("bridge", bridge));
            }
          } catch (Exception e) {
            System.err.println("health probe of node " + nodeName(n) + " failed: " + e);
          }
        }
      }, 5, 5, TimeUnit.SECONDS);
      boolean everyoneCompleted = await(allCompleted.future(), taskSeconds * 1000L + 120_000);
      prober.shutdownNow();
      if (!everyoneCompleted) {
        Thread.sleep(5000); // stragglers: give the last frames a chance before counting them lost
      }
      long wallAfter = System.nanoTime();
      double selfCpuAfter = ProcStats.cpuSeconds(ProcessHandle.current().pid());
      List<NodeFigures> perNode = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        long pid = servers.get(n).pid();
        perNode.add(new NodeFigures(nodeName(n), ServerGroup.roles(n), connectedByNode[n].get(), heapIdle0[n], heapIdleN[n],
            rss0[n], rssIdleN[n], ProcStats.rssBytes(pid), ProcStats.cpuSeconds(pid) - cpuBefore[n], healthIdle[n],
            new JsonObject(servers.get(n).health())));
      }

      List<JsonObject> perShard = new ArrayList<>();
      for (Shard shard : shards) {
        perShard.add(shard.summarize().await(30, TimeUnit.SECONDS));
        shard.spans.forEach((seq, span) -> spans.merge(seq, span, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
        latencies.add(shard.shardLatencies);
        for (int n = 0; n < nodes; n++) {
          latenciesByNode[n].add(shard.nodeLatencies[n]);
        }
      }
      report(new Measured(connectedAtIdle, everyoneRegistered, everyoneCompleted, perNode,
          selfCpuAfter - selfCpuBefore, (wallAfter - wallBefore) / 1e9, perShard));
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  /** One service process: its clients, live heap and RSS with 0 and N idle clients, CPU over the task. */
  private record NodeFigures(String node, String roles, int connected, long heap0, long heapN, long rss0, long rssIdle,
      long rssBusy, double cpu, JsonObject healthIdle, JsonObject healthBusy) {}

  /** Heap, RSS and CPU summed over the node processes. */
  private record Measured(int connectedAtIdle, boolean everyoneRegistered, boolean everyoneCompleted, List<NodeFigures> nodes,
      double loadCpu, double wallSeconds, List<JsonObject> shards) {
    long sum(java.util.function.ToLongFunction<NodeFigures> figure) {
      return nodes.stream().mapToLong(figure).sum();
    }

    double serverCpu() {
      return nodes.stream().mapToDouble(NodeFigures::cpu).sum();
    }
  }

  private void report(Measured m) {
    int expectedPerClient = publishedSeqs.size();
    long minDelivered = Long.MAX_VALUE;
    long clientsWithAll = 0;
    long lostTerminal = 0;
    for (JsonObject s : m.shards()) {
      minDelivered = Math.min(minDelivered, s.getLong("min_delivered"));
      clientsWithAll += s.getLong("clients_with_all_of", 0L);
      lostTerminal += s.getLong("missing_task_completed");
    }
    // Every client that was connected when the task started counts, including ones closed since.
    lostTerminal = Math.max(lostTerminal, m.connectedAtIdle() - completedClients.get());
    long delivered = deliveries.sum();
    double expectedTotal = (double) expectedPerClient * m.connectedAtIdle();
    double rampSeconds = (rampEndNanos - rampStartNanos) / 1e9;
    double heapPerConnKb = target.equals("node") ? Double.NaN
        : (m.sum(NodeFigures::heapN) - m.sum(NodeFigures::heap0)) / 1024.0 / Math.max(1, m.connectedAtIdle());
    double rssPerConnKb = (m.sum(NodeFigures::rssIdle) - m.sum(NodeFigures::rss0)) / 1024.0 / Math.max(1, m.connectedAtIdle());
    double cpuPer100k = delivered == 0 ? Double.NaN : m.serverCpu() / delivered * 100_000;
    double deliveriesPerCpuSecond = m.serverCpu() <= 0 ? Double.NaN : delivered / m.serverCpu();
    Histogram spread = new Histogram(120_000);
    spans.values().forEach(span -> spread.recordMillis((span[1] - span[0]) / 1000));
    double busyCores = m.serverCpu() / m.wallSeconds();
    // What the task asked of the server: every published message to every client, over the publish span.
    long firstSeq = publishedSeqs.stream().mapToLong(Long::longValue).min().orElse(0);
    long lastSeq = publishedSeqs.stream().mapToLong(Long::longValue).max().orElse(0);
    double publishSeconds = Math.max(1e-3, (lastSeq - firstSeq) / 1e6);
    double offeredPerSecond = expectedTotal / publishSeconds;
    double perClientPerSecond = delivered / (double) Math.max(1, m.connectedAtIdle()) / publishSeconds;
    double coresNeeded = delivered == 0 ? Double.NaN : m.serverCpu() / delivered * offeredPerSecond;

    String where = nodes == 1 ? "" : " on " + nodes + " HTTP nodes (cluster)";
    String speaking = switch (target) {
      case "sockjs" -> " (SockJS WebSocket transport, as browsers)";
      case "node" -> " against the Node ws broadcaster (reference)";
      default -> " (raw WebSocket)";
    };
    BenchResult r = new BenchResult(name, "Fan-out: " + String.format("%,d", clients) + " live bridge clients" + where + speaking);
    r.config.put("nodes", nodes).put("clients", clients).put("ramp_per_second", rampPerSecond).put("task_seconds", taskSeconds)
        .put("bridge_max_messages_per_second", rateCap).put("loadgen_event_loops", loops)
        .put("source_addresses", sourceAddresses).put("server_xmx", serverXmx)
        .put("server_extra_jvm_options", System.getenv().getOrDefault("BENCH_SERVER_JVM_OPTS", ""))
        .put("demo_delay_ms", 100).put("demo_batch_size", 1).put("target", target);
    if (nodes > 1) {
      JsonArray roles = new JsonArray();
      m.nodes().forEach(n -> roles.add(n.node() + ": " + n.roles()));
      r.config.put("node_roles", roles).put("store", "postgres").put("event_bus", "hazelcast");
    }
    r.metric("clients connected", "≥ " + clients, m.connectedAtIdle(), "", m.connectedAtIdle() >= clients)
        .info("connect ramp, total", rampSeconds, "s")
        .info("connect time p50", connectTimes.percentile(0.50), "ms")
        .info("connect time p99", connectTimes.percentile(0.99), "ms")
        .info("delivery latency p50", latencies.percentile(0.50), "ms")
        .metric("delivery latency p99", "≤ 200 ms", latencies.percentile(0.99), "ms", latencies.percentile(0.99) <= 200)
        .info("delivery latency max", latencies.max(), "ms");
    if (nodes > 1) {
      for (int n = 0; n < nodes; n++) {
        String of = ", node " + nodeName(n) + " (" + m.nodes().get(n).roles() + ", " + m.nodes().get(n).connected() + " clients)";
        r.info("delivery latency p50" + of, latenciesByNode[n].percentile(0.50), "ms")
            .info("delivery latency p99" + of, latenciesByNode[n].percentile(0.99), "ms");
      }
    }
    r
        .info("messages expected per client", expectedPerClient, "")
        .info("messages delivered / expected", expectedTotal == 0 ? Double.NaN : delivered / expectedTotal, "")
        .metric("lost task_completed", "0", lostTerminal, "", lostTerminal == 0)
        .info("offered deliveries (messages × clients / publish span)", offeredPerSecond, "/s")
        .info("server CPU per 100k deliveries", cpuPer100k, "s")
        .info("deliveries per server CPU-second", deliveriesPerCpuSecond, "")
        .info("messages per client per second", perClientPerSecond, "/s")
        .info("spread p50 (first to last client, per message)", spread.percentile(0.5), "ms")
        .info("spread p99 (first to last client, per message)", spread.percentile(0.99), "ms")
        .metric("server CPU needed at the offered rate", "≤ 1 core", coresNeeded, "cores", coresNeeded <= 1.0)
        .info("server busy, measured over the delivery window", busyCores, "cores")
        .info("slowest /health answer during the task (bridge event-loop lag)", maxProbeMs(), "ms")
        .info("sockets closed by the server", closedByServer.get(), "")
        .metric("server heap per idle connection", "≤ 10 KB", heapPerConnKb, "KB", heapPerConnKb <= 10)
        .info("server RSS per idle connection", rssPerConnKb, "KB")
        .info("server RSS, idle / busy", m.sum(NodeFigures::rssIdle) / 1048576.0, "MB")
        .info("load generator CPU during the task", m.loadCpu() / m.wallSeconds(), "cores");
    r.note("CPU needed = CPU per delivery × offered deliveries a second. The busy figure measured over the"
        + " window is lower when deliveries fall behind (the window stretches), so it is not the target row.");
    if (nodes > 1) {
      r.note("Two service processes on the same " + Runtime.getRuntime().availableProcessors() + " cores as one: they"
          + " cannot be faster than one in absolute terms; compare per-delivery costs. Server CPU, heap and RSS are"
          + " sums over both node processes (each has its own JVM baseline). Clients alternate between the nodes;"
          + " the task runs on node A, node B's clients get it over the Hazelcast event bus.");
    }
    r.note("Publish→receipt latency uses each message's seq (µs since the epoch at publish, same machine clock).");
    r.note("Server and load generator share the machine's " + Runtime.getRuntime().availableProcessors()
        + " cores; bridge.maxMessagesPerSecond was " + rateCap + " (default 10) because a client here receives"
        + " 10 progress + 1 queue message a second.");
    r.raw.put("connected", m.connectedAtIdle()).put("connect_failures", connectFailures.get())
        .put("registered", registered.get()).put("all_registered", m.everyoneRegistered())
        .put("all_completed", m.everyoneCompleted()).put("closed_by_server", closedByServer.get())
        .put("close_codes", new JsonObject(new java.util.TreeMap<>(closeCodes.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue().sum())))))
        .put("health_probes_during_task", healthProbes)
        .put("ramp_seconds", rampSeconds)
        .put("connect_ms", histogramJson(connectTimes))
        .put("latency_ms", histogramJson(latencies))
        .put("deliveries", delivered).put("frames_before_task", framesBeforeTask.sum())
        .put("deliveries_per_server_cpu_second", deliveriesPerCpuSecond)
        .put("messages_per_client_per_second", perClientPerSecond)
        .put("spread_ms", histogramJson(spread))
        .put("server_heap_per_idle_connection_kb", heapPerConnKb)
        .put("server_rss_per_idle_connection_kb", rssPerConnKb)
        .put("expected_per_client", expectedPerClient).put("min_delivered_per_client", minDelivered)
        .put("clients_with_every_message", clientsWithAll).put("clients_with_task_completed", completedClients.get())
        .put("lost_task_completed", lostTerminal)
        .put("task_wall_seconds", m.wallSeconds()).put("publish_span_seconds", publishSeconds)
        .put("offered_deliveries_per_second", offeredPerSecond).put("server_cpu_seconds", m.serverCpu())
        .put("loadgen_cpu_seconds", m.loadCpu())
        .put("server_heap_live_bytes_0_connections", m.sum(NodeFigures::heap0))
        .put("server_heap_live_bytes_n_connections", m.sum(NodeFigures::heapN))
        .put("server_rss_bytes_0_connections", m.sum(NodeFigures::rss0))
        .put("server_rss_bytes_n_connections", m.sum(NodeFigures::rssIdle))
        .put("server_rss_bytes_busy", m.sum(NodeFigures::rssBusy))
        .put("nodes", new JsonArray(m.nodes().stream().map(n -> (Object) nodeJson(n)).toList()))
        .put("shards", new JsonArray(new ArrayList<>(m.shards())));
    r.chart(Svg.bars("Fan-out to " + String.format("%,d", m.connectedAtIdle()) + " clients" + where + ": delivery latency", "ms",
        List.of("p50", "p90", "p99", "p99.9", "max"),
        new double[] {latencies.percentile(0.5), latencies.percentile(0.9), latencies.percentile(0.99),
            latencies.percentile(0.999), latencies.max()}, 200.0));
    r.write();
  }

  private JsonObject nodeJson(NodeFigures n) {
    int index = n.node().charAt(0) - 'A';
    return new JsonObject().put("node", n.node()).put("roles", n.roles()).put("clients", n.connected())
        .put("server_cpu_seconds", n.cpu())
        .put("server_heap_live_bytes_0_connections", n.heap0()).put("server_heap_live_bytes_n_connections", n.heapN())
        .put("server_rss_bytes_0_connections", n.rss0()).put("server_rss_bytes_n_connections", n.rssIdle())
        .put("server_rss_bytes_busy", n.rssBusy()).put("latency_ms", histogramJson(latenciesByNode[index]))
        .put("health_idle", n.healthIdle()).put("health_busy", n.healthBusy());
  }

  /** The bridge's entry of /health (connections, sockets, pending messages, unflushed bytes), or null. */
  private static JsonObject bridgeCheck(JsonObject health) {
    JsonArray checks = health.getJsonArray("checks", new JsonArray());
    for (int i = 0; i < checks.size(); i++) {
      if ("bridge".equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i).getJsonObject("data");
      }
    }
    return null;
  }

  private double maxProbeMs() {
    synchronized (healthProbes) {
      return healthProbes.stream().mapToDouble(p -> ((JsonObject) p).getLong("answer_ms")).max().orElse(Double.NaN);
    }
  }

  /** Live heap after a full GC; -1 for a server that is no JVM (the Node reference: RSS only). */
  private long liveHeap(long pid) throws Exception {
    return target.equals("node") ? -1 : ProcStats.liveHeapBytes(pid);
  }

  private static JsonObject histogramJson(Histogram h) {
    return new JsonObject().put("count", h.count()).put("mean", h.mean()).put("p50", h.percentile(0.5))
        .put("p90", h.percentile(0.9)).put("p99", h.percentile(0.99)).put("p999", h.percentile(0.999)).put("max", h.max());
  }

  /** A .txt of taskSeconds × 10 lines: at 100 ms a segment it runs about taskSeconds. */
  static String submitLongTask(Vertx vertx, int port, int taskSeconds) throws Exception {
    StringBuilder doc = new StringBuilder();
    for (int i = 1; i <= taskSeconds * 10; i++) {
      doc.append("Line ").append(i).append(" of the fan-out benchmark document.\n");
    }
    WebClient http = WebClient.create(vertx);
    MultipartForm form = MultipartForm.create().attribute("engine", "demo")
        .binaryFileUpload("file", "fanout.txt", Buffer.buffer(doc.toString()), "text/plain");
    var response = http.post(port, "127.0.0.1", "/api/tasks").sendMultipartForm(form).await(30, TimeUnit.SECONDS);
    if (response.statusCode() != 202) {
      throw new IllegalStateException("upload refused: " + response.statusCode() + " " + response.bodyAsString());
    }
    http.close();
    return response.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0).getString("task_id");
  }

  private static boolean await(Future<Void> future, long timeoutMs) {
    try {
      future.await(timeoutMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception timedOut) {
      return false;
    }
  }

  /** One event loop's share of the clients; everything here runs on that loop. */
  private final class Shard extends VerticleBase {
    /** The nodes' HTTP ports; client i connects to node i % nodes. */
    private final int[] ports;
    private final List<WebSocketClient> wsClients = new ArrayList<>();
    private final List<Client> mine = new ArrayList<>();
    private final Random random = new Random(42);
    /** Per shard, so two event loops never contend on one histogram's counters. */
    final Histogram shardLatencies = new Histogram(120_000);
    final Histogram[] nodeLatencies = new Histogram[nodes];
    /** seq → {first, last} receipt in µs, for this shard's clients. */
    final Map<Long, long[]> spans = new java.util.HashMap<>();
    private io.vertx.core.Context context;

    Shard(int[] ports) {
      this.ports = ports;
      for (int n = 0; n < nodes; n++) {
        nodeLatencies[n] = new Histogram(120_000);
      }
    }

    @Override
    public Future<?> start() {
      context = super.context;
      for (int a = 0; a < sourceAddresses; a++) {
        // Several loopback source addresses: each has its own ~28k ephemeral ports.
        wsClients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
            .setLocalAddress("127.0.0." + (a + 1))
            .setMaxConnections(clients + 1)
            .setConnectTimeout(60_000)
            .setMaxFrameSize(65_536)));
      }
      return Future.succeededFuture();
    }

    /** Opens {@code count} connections at this shard's share of the rate, each at a jittered moment. */
    void ramp(int count) {
      double intervalMs = 1000.0 * loops / rampPerSecond;
      long start = System.currentTimeMillis();
      int[] next = {0};
      // A 10 ms tick launches every connection whose (jittered) moment has come.
      long[] due = new long[count];
      for (int i = 0; i < count; i++) {
        due[i] = start + (long) (i * intervalMs + random.nextDouble() * intervalMs);
      }
      vertx.setPeriodic(10, id -> {
        long now = System.currentTimeMillis();
        while (next[0] < count && due[next[0]] <= now) {
          open(next[0]++);
        }
        if (next[0] == count) {
          vertx.cancelTimer(id);
        }
      });
    }

    private void open(int index) {
      int node = index % nodes;
      Client client = new Client(node);
      mine.add(client);
      long began = System.nanoTime();
      WebSocketClient ws = wsClients.get(index / nodes % wsClients.size());
      // sockjs-client: a random 3-digit server id and an 8-character session id per connection.
      String uri = sockJs ? String.format("/eventbus/%03d/%08x/websocket", random.nextInt(1000), random.nextInt())
          : "/eventbus/websocket";
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(ports[node]).setURI(uri))
          .onSuccess(socket -> {
            connectTimes.recordMillis((System.nanoTime() - began) / 1_000_000);
            client.attach(socket);
            connected.incrementAndGet();
            connectedByNode[node].incrementAndGet();
            rampEndNanos = System.nanoTime();
          })
          .onFailure(err -> {
            if (connectFailures.incrementAndGet() <= 5) {
              System.err.println("connect failed: " + err);
            }
            checkRegistered();
          });
    }

    Future<JsonObject> summarize() {
      Promise<JsonObject> result = Promise.promise();
      context.runOnContext(v -> {
        int expected = publishedSeqs.size();
        long min = Long.MAX_VALUE;
        long withAll = 0;
        long missingCompleted = 0;
        for (Client c : mine) {
          if (c.socket == null) {
            continue;
          }
          min = Math.min(min, c.delivered);
          withAll += c.delivered >= expected ? 1 : 0;
          missingCompleted += c.completed ? 0 : 1;
        }
        result.complete(new JsonObject().put("clients", mine.size()).put("min_delivered", min == Long.MAX_VALUE ? 0 : min)
            .put("clients_with_all_of", withAll).put("missing_task_completed", missingCompleted));
      });
      return result.future();
    }

    /** A browser stand-in: counters only, so 10,000 of them stay cheap for this JVM. */
    private final class Client {
      final int node;
      WebSocket socket;
      int delivered;
      boolean registeredHere;
      boolean completed;
      /** A few clients record every seq they see; the union is what each client should have got. */
      final boolean witness = mine.size() % 50 == 1;

      Client(int node) {
        this.node = node;
      }

      void attach(WebSocket ws) {
        socket = ws;
        ws.handler(this::onFrame);
        ws.closeHandler(v -> {
          closedByServer.incrementAndGet();
          closeCodes.computeIfAbsent(String.valueOf(ws.closeStatusCode()), k -> new LongAdder()).increment();
        });
        if (!sockJs) {
          register();
        } // SockJS: after the server's "o" frame, as sockjs-client does.
        // The bridge drops sockets silent for pingTimeout (60 s); browsers ping every ~20 s.
        vertx.setPeriodic(15_000 + random.nextInt(5_000), id -> {
          if (!ws.isClosed()) {
            send("{\"type\":\"ping\"}");
          } else {
            vertx.cancelTimer(id);
          }
        });
      }

      private void register() {
        send("{\"type\":\"register\",\"address\":\"" + PROGRESS + "\"}");
        send("{\"type\":\"register\",\"address\":\"" + QUEUE + "\"}");
      }

      /** One bridge message; on SockJS a JSON array of the message as a string, as sockjs-client sends. */
      private void send(String message) {
        socket.writeTextMessage(sockJs ? "[" + io.vertx.core.json.Json.encode(message) + "]" : message);
      }

      /**
       * Reads only seq and type by scanning the bytes: parsing 100k+ JSON frames a second would make
       * the load generator, not the server, the bottleneck.
       */
      void onFrame(Buffer frame) {
        long receivedMicros = System.currentTimeMillis() * 1000L;
        byte[] bytes = frame.getBytes();
        if (sockJs) {
          if (bytes.length == 0) {
            return;
          }
          if (bytes[0] == 'o') {
            register();
            return;
          }
          if (bytes[0] != 'a') {
            return; // h (heartbeat), c[...] (close)
          }
        }
        byte[] seqPattern = sockJs ? SEQ_ESCAPED : SEQ;
        if (!registeredHere && indexOf(bytes, sockJs ? QUEUE_UPDATE_ESCAPED : QUEUE_UPDATE, 0) >= 0) {
          registeredHere = true;
          registered.incrementAndGet();
          checkRegistered();
        }
        // One raw frame is one message; one SockJS a[...] frame may carry several.
        for (int at = indexOf(bytes, seqPattern, 0); at >= 0; at = indexOf(bytes, seqPattern, at + seqPattern.length)) {
          long seq = digitsAt(bytes, at + seqPattern.length);
          if (seq < windowStartMicros) {
            framesBeforeTask.increment();
            continue;
          }
          shardLatencies.recordMillis((receivedMicros - seq) / 1000);
          nodeLatencies[node].recordMillis((receivedMicros - seq) / 1000);
          long[] span = spans.get(seq);
          if (span == null) {
            spans.put(seq, new long[] {receivedMicros, receivedMicros});
          } else {
            span[0] = Math.min(span[0], receivedMicros);
            span[1] = Math.max(span[1], receivedMicros);
          }
          deliveries.increment();
          delivered++;
          if (witness) {
            publishedSeqs.add(seq);
          }
        }
        if (!completed && indexOf(bytes, sockJs ? TASK_COMPLETED_ESCAPED : TASK_COMPLETED, 0) >= 0) {
          completed = true;
          if (completedClients.incrementAndGet() >= connected.get()) {
            allCompleted.tryComplete();
          }
        }
      }
    }
  }

  /** Called on every registration and every failed connect, so the ramp ends even when some fail. */
  private void checkRegistered() {
    if (registered.get() + connectFailures.get() >= clients) {
      allRegistered.tryComplete();
    }
  }

  private static final byte[] SEQ = "\"seq\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] QUEUE_UPDATE = "\"queue_update\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TASK_COMPLETED = "\"task_completed\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** The same, as they appear inside a SockJS frame (each message is a JSON string there). */
  private static final byte[] SEQ_ESCAPED = "\\\"seq\\\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] QUEUE_UPDATE_ESCAPED = "\\\"queue_update\\\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TASK_COMPLETED_ESCAPED = "\\\"task_completed\\\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static long digitsAt(byte[] frame, int from) {
    long value = 0;
    for (int i = from; i < frame.length && frame[i] >= '0' && frame[i] <= '9'; i++) {
      value = value * 10 + (frame[i] - '0');
    }
    return value;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int intEnv(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
