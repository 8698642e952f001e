package dev.translive.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark 4, queue at scale: 10,000 tiny tasks submitted over the event bus while the first one
 * runs for ever (demo engine, huge delay), so they all stay queued. Measures submit throughput and
 * what one bridge client receives per queue change as the queue grows.
 *
 * <p>Environment: BENCH_QUEUE_TASKS (10000 queued), BENCH_QUEUE_IN_FLIGHT (submits outstanding, 64).
 */
public final class QueueScaleBench {
  private static final int[] CHECKPOINTS = {1, 10, 100, 1_000, 10_000};

  public static void main(String[] args) throws Exception {
    int queuedTarget = intEnv("BENCH_QUEUE_TASKS", 10_000);
    int inFlight = intEnv("BENCH_QUEUE_IN_FLIGHT", 64);
    int total = queuedTarget + 1; // the first task runs; the rest wait
    Map<String, Object> overrides = Map.of(
        "engine", "demo",
        "engines.demo.delayMs", 3_600_000,
        "queue.maxQueued", total + 1000,
        "queue.concurrency", 1);

    // Every queue_update as the bridge would frame it, by queue length: exact sizes for each length.
    ConcurrentSkipListMap<Integer, Integer> frameBytesByLength = new ConcurrentSkipListMap<>();
    List<int[]> bridgeFrames = new CopyOnWriteArrayList<>(); // {queue_length, bytes} as a real client got them
    Histogram submitLatency = new Histogram(120_000);
    double seconds;
    double bulkSeconds;
    double bulkCpuSeconds;
    int bulkCount;
    JsonObject health;
    int broadcastLimit;
    int bridgeRate;
    try (InProcessService service = InProcessService.start("queue", overrides)) {
      broadcastLimit = service.config.queue().broadcastLimit();
      bridgeRate = service.config.bridge().getMaxMessagesPerSecond();
      service.vertx.eventBus().<JsonObject>consumer("translive.queue", msg -> {
        int length = msg.body().getJsonObject("data").getInteger("queue_length");
        // Publication is coalesced (at most ~10 a second during the submits), so every one is measured.
        frameBytesByLength.merge(length, bridgeFrame(msg.body()).length(), Math::max);
      }).completion().await(10, TimeUnit.SECONDS);
      // Held in a variable until the end: an unreachable client is closed by the garbage collector.
      io.vertx.core.http.WebSocketClient wsClient = service.vertx.createWebSocketClient();
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(service.port()).setURI("/eventbus/websocket"))
          .await(10, TimeUnit.SECONDS);
      ws.handler(frame -> {
        JsonObject body = new JsonObject(frame).getJsonObject("body");
        if (body != null && "queue_update".equals(body.getString("type"))) {
          bridgeFrames.add(new int[] {body.getJsonObject("data").getInteger("queue_length"), frame.length()});
        }
      });
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "translive.queue").encode());

      // One at a time up to 100 queued, so the frame size is seen at every small length; then in bulk.
      int sequential = Math.min(total, 101);
      long start = System.nanoTime();
      submitAll(service, 0, sequential, 1, submitLatency).await(600, TimeUnit.SECONDS);
      long self = ProcessHandle.current().pid();
      double cpuBefore = ProcStats.cpuSeconds(self);
      long bulkStart = System.nanoTime();
      submitAll(service, sequential, total, inFlight, submitLatency).await(600, TimeUnit.SECONDS);
      long end = System.nanoTime();
      bulkCpuSeconds = ProcStats.cpuSeconds(self) - cpuBefore;
      seconds = (end - start) / 1e9;
      bulkSeconds = (end - bulkStart) / 1e9;
      bulkCount = total - sequential;
      System.out.printf("queue: %,d submits in %.2f s (%,d in bulk in %.2f s)%n", total, seconds, bulkCount, bulkSeconds);
      // The bridge sends at most 10 a second and conflates the rest; the latest state is what must arrive.
      awaitBridgeLength(service, bridgeFrames, queuedTarget).await(30, TimeUnit.SECONDS);
      health = service.vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, service.port(), "127.0.0.1", "/health")
          .compose(req -> req.send().compose(resp -> resp.body())).map(Buffer::toJsonObject).await(10, TimeUnit.SECONDS);
      ws.close().await(10, TimeUnit.SECONDS);
      wsClient.close().await(10, TimeUnit.SECONDS);
    }

    double throughput = bulkCount / bulkSeconds;
    TreeMap<Integer, Integer> atCheckpoints = new TreeMap<>();
    for (int checkpoint : CHECKPOINTS) {
      if (checkpoint > queuedTarget) {
        continue;
      }
      // Coalesced publication skips lengths during the submits: the nearest length sampled at or above.
      Map.Entry<Integer, Integer> e = frameBytesByLength.ceilingEntry(checkpoint);
      if (e != null) {
        atCheckpoints.put(e.getKey(), e.getValue());
      }
    }
    int[] lastBridge = bridgeFrames.get(bridgeFrames.size() - 1);
    long bridgeBytes = bridgeFrames.stream().mapToLong(f -> f[1]).sum();

    BenchResult r = new BenchResult("queue", "Queue at scale: " + String.format("%,d", queuedTarget) + " tasks over the event bus");
    r.config.put("tasks_submitted", total).put("submits_in_flight", inFlight).put("queue_broadcast_limit", broadcastLimit)
        .put("bridge_max_messages_per_second", bridgeRate);
    r.metric("submit throughput (" + inFlight + " in flight)", "≥ 2,000/s", throughput, "submits/s", throughput >= 2000)
        .info("all " + String.format("%,d", total) + " submits, the first 101 one at a time", seconds, "s")
        .info("CPU per submit (whole process, bulk phase)", bulkCpuSeconds / bulkCount * 1e6, "µs")
        .info("CPU busy during the bulk phase", bulkCpuSeconds / bulkSeconds, "cores")
        .info("submit latency p50", submitLatency.percentile(0.5), "ms")
        .info("submit latency p99", submitLatency.percentile(0.99), "ms")
        .metric("queue_update frame at " + String.format("%,d", lastBridge[0]) + " queued (bridge client)", "≤ 4 KB",
            lastBridge[1] / 1024.0, "KB", lastBridge[1] <= 4096);
    atCheckpoints.forEach((length, bytes) -> r.info("  frame bytes at " + String.format("%,d", length) + " queued", bytes, "B"));
    r.info("queue_update frames the bridge client received", bridgeFrames.size(), "")
        .info("bytes the bridge client received during the submits", bridgeBytes, "B")
        .info("queue lengths sampled for frame size", frameBytesByLength.size(), "");
    r.note("Frame bytes are the bridge's \"rec\" envelope of each queue_update, as a client receives it; "
        + "the list stops at queue.broadcastLimit (" + broadcastLimit + ") entries, so size is flat past " + broadcastLimit
        + " queued. queue_update publication is coalesced, so not every length is seen; each row names the length it was"
        + " measured at.");
    r.note("The bridge client receives at most bridge.maxMessagesPerSecond (" + bridgeRate + ") frames a second; "
        + "changes in between are conflated, so a client's bytes per second stay bounded however fast the queue changes.");
    JsonObject sizes = new JsonObject();
    frameBytesByLength.forEach((length, bytes) -> sizes.put(String.valueOf(length), bytes));
    r.raw.put("seconds", seconds).put("bulk_seconds", bulkSeconds).put("bulk_submits", bulkCount).put("bulk_cpu_seconds", bulkCpuSeconds).put("submits", total).put("submit_latency_ms", new JsonObject()
            .put("p50", submitLatency.percentile(0.5)).put("p99", submitLatency.percentile(0.99)).put("max", submitLatency.max()))
        .put("frame_bytes_by_queue_length", sizes)
        .put("bridge_frames", new JsonArray(bridgeFrames.stream().map(f -> new JsonArray().add(f[0]).add(f[1])).toList()))
        .put("health_after", health);
    List<Integer> lengths = new ArrayList<>(frameBytesByLength.keySet());
    double[] xs = lengths.stream().mapToDouble(Integer::doubleValue).toArray();
    double[] ys = lengths.stream().mapToDouble(l -> frameBytesByLength.get(l)).toArray();
    r.chart(Svg.lines("queue_update frame size by queue length", "tasks queued (log scale)", "bytes",
        List.of(new Svg.Series("frame bytes", xs, ys)), true, 4096.0, "target 4 KB"));
    r.write();
    System.exit(0);
  }

  /** The bridge's "rec" envelope around a published body, as BridgeHub encodes it once for every socket. */
  private static Buffer bridgeFrame(JsonObject body) {
    return new JsonObject().put("type", "rec").put("address", "translive.queue").put("body", body).toBuffer();
  }

  /** Submits documents {@code from} until {@code to} (distinct one-liners), keeping {@code inFlight} outstanding. */
  private static Future<Void> submitAll(InProcessService service, int from, int to, int inFlight, Histogram latency) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger(from);
    AtomicInteger finished = new AtomicInteger(from);
    int total = to;
    Runnable[] submitOne = new Runnable[1];
    submitOne[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= total) {
        return;
      }
      long began = System.nanoTime();
      service.submit("tiny-" + i + ".txt", Buffer.buffer("Tiny document number " + i + ".\n"), "demo")
          .onComplete(ar -> {
            if (ar.failed()) {
              done.tryFail(ar.cause());
              return;
            }
            latency.recordMillis((System.nanoTime() - began) / 1_000_000);
            if (finished.incrementAndGet() == total) {
              done.tryComplete();
            } else {
              submitOne[0].run();
            }
          });
    };
    service.vertx.runOnContext(v -> {
      for (int k = 0; k < inFlight; k++) {
        submitOne[0].run();
      }
    });
    return done.future();
  }

  /** Completes once the bridge client has received the queue at {@code length}. */
  private static Future<Void> awaitBridgeLength(InProcessService service, List<int[]> frames, int length) {
    Promise<Void> reached = Promise.promise();
    service.vertx.setPeriodic(50, id -> { // the client's frames arrive on another loop; a light check is enough
      if (!frames.isEmpty() && frames.get(frames.size() - 1)[0] >= length) {
        service.vertx.cancelTimer(id);
        reached.tryComplete();
      }
    });
    return reached.future();
  }

  private static int intEnv(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
