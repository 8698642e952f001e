package dev.translive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.Eventually;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Uploads over HTTP while raw bridge clients at /eventbus/websocket watch. */
@ExtendWith(VertxExtension.class)
class LiveProgressTest {
  @TempDir Path dataDir;

  @Test
  void bridgeClientSeesTheWholeLifecycleInContractShape(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 10)).await(20, TimeUnit.SECONDS);
    BridgeClient client = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    client.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);

    JsonObject task = server.submitText("report.txt", TestServer.sentences(60)).await(10, TimeUnit.SECONDS);
    String taskId = task.getString("task_id");
    Frame done = client.await(BridgeClient.completedOf(taskId)).await(30, TimeUnit.SECONDS);

    JsonObject completed = done.body();
    assertEquals("translive.progress", done.address());
    assertTrue(completed.getLong("seq") > 0);
    JsonObject data = completed.getJsonObject("data");
    assertEquals("report.txt", data.getString("filename"));
    assertEquals(true, data.getBoolean("success"));
    assertEquals("completed", data.getString("status"));
    assertEquals("Translation completed", data.getString("message"));
    assertTrue(data.getDouble("duration_seconds") > 0);

    List<Frame> frames = client.ofTask(taskId);
    assertEquals("task_started", frames.get(0).type(), "first message of a task is task_started");
    JsonObject started = frames.get(0).body().getJsonObject("data");
    assertEquals("report.txt", started.getString("filename"));
    assertEquals(60, started.getInteger("total_segments"));

    List<String> stages = new ArrayList<>();
    double lastProgress = -1;
    long lastSeq = 0;
    for (Frame f : frames) {
      long seq = f.body().getLong("seq");
      assertTrue(seq > lastSeq, "seq increases");
      lastSeq = seq;
      if ("progress_update".equals(f.type())) {
        JsonObject p = f.body().getJsonObject("data");
        for (String key : List.of("filename", "progress", "stage", "stage_description", "eta_seconds",
            "completed_segments", "total_segments")) {
          assertTrue(p.containsKey(key), "progress_update has " + key);
        }
        assertTrue(p.getDouble("progress") >= lastProgress, "progress never goes backwards");
        lastProgress = p.getDouble("progress");
        assertTrue(p.getInteger("completed_segments") <= p.getInteger("total_segments"));
        String stage = p.getString("stage");
        if (stages.isEmpty() || !stages.get(stages.size() - 1).equals(stage)) {
          stages.add(stage);
        }
      }
    }
    assertEquals(List.of("extracting", "deduplicating", "translating", "assembling"), stages);
    assertEquals("task_completed", frames.get(frames.size() - 1).type(), "task_completed is the last message of a task");
    assertEquals(1, frames.stream().filter(f -> "task_completed".equals(f.type())).count());

    // The queue view saw the task and then saw it leave.
    assertTrue(client.frames.stream().anyMatch(f -> "queue_update".equals(f.type())
        && f.body().getJsonObject("data").getJsonArray("running").encode().contains(taskId)));
    client.close().await(5, TimeUnit.SECONDS);
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void rateCapHoldsPerSocketAndTheLatestStateStillArrives(Vertx vertx) throws Exception {
    int cap = 4;
    TestServer server = TestServer.start(vertx, dataDir, Map.of(
        "engines.demo.delayMs", 3, "engines.demo.batchSize", 1,
        "bridge.maxMessagesPerSecond", cap)).await(20, TimeUnit.SECONDS);
    List<BridgeClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add(BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS));
    }
    // Two tasks of ~1.5 s each, publishing progress at 10 Hz plus queue updates: far above the cap.
    String first = server.submitText("one.txt", TestServer.sentences(400)).await(10, TimeUnit.SECONDS).getString("task_id");
    String second = server.submitText("two.txt", TestServer.sentences(400)).await(10, TimeUnit.SECONDS).getString("task_id");
    for (BridgeClient client : clients) {
      client.await(BridgeClient.completedOf(first)).await(30, TimeUnit.SECONDS);
      client.await(BridgeClient.completedOf(second)).await(30, TimeUnit.SECONDS);
    }
    for (BridgeClient client : clients) {
      List<Frame> frames = client.frames;
      // Per wall-clock second at the receiver, as a user would count; and in any sliding second,
      // allowing 100 ms of delivery jitter on this shared machine.
      java.util.Map<Long, Long> perSecond = frames.stream()
          .collect(java.util.stream.Collectors.groupingBy(f -> f.receivedAt() / 1000, java.util.stream.Collectors.counting()));
      perSecond.forEach((wallSecond, count) -> assertTrue(count <= cap, count + " messages in one second"));
      for (int i = 0; i + cap < frames.size(); i++) {
        long span = frames.get(i + cap).receivedAt() - frames.get(i).receivedAt();
        assertTrue(span >= 900, "more than " + cap + " messages within " + span + " ms");
      }
      for (String taskId : List.of(first, second)) {
        assertEquals(1, client.ofTask(taskId).stream().filter(f -> "task_started".equals(f.type())).count(),
            "every task_started arrives");
        // The last progress that arrived is the final one the translator published (assembling).
        Frame lastProgress = client.ofTask(taskId).stream().filter(f -> "progress_update".equals(f.type()))
            .reduce((a, b) -> b).orElseThrow();
        assertEquals("assembling", lastProgress.body().getJsonObject("data").getString("stage"));
      }
      assertTrue(frames.size() > 2 * cap, "the client did receive a steady stream");
      client.close();
    }
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientThatConnectsMidTaskGetsTheCurrentStateAtOnce(Vertx vertx) throws Exception {
    // One segment every 3 s: after the first progress, nothing new is published for a while.
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 3000, "engines.demo.batchSize", 1))
        .await(20, TimeUnit.SECONDS);
    BridgeClient early = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    String taskId = server.submitText("slow.txt", TestServer.sentences(5)).await(10, TimeUnit.SECONDS).getString("task_id");
    early.await(f -> "progress_update".equals(f.type()) && "translating".equals(f.body().getJsonObject("data").getString("stage")))
        .await(10, TimeUnit.SECONDS);

    long connectedAt = System.currentTimeMillis();
    BridgeClient late = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    Frame progress = late.await(f -> "progress_update".equals(f.type())).await(5, TimeUnit.SECONDS);
    // The queue's state may be one coalesced publication (100 ms) behind the task's own start; a
    // queue_update that lists the running task must still come long before the next segment (3 s).
    late.await(f -> "queue_update".equals(f.type())
        && f.body().getJsonObject("data").getJsonArray("running").encode().contains(taskId)).await(5, TimeUnit.SECONDS);
    assertTrue(progress.receivedAt() - connectedAt < 1000, "progress arrived at once, not at the next update");
    assertEquals(taskId, progress.body().getString("task_id"));
    assertEquals("translating", progress.body().getJsonObject("data").getString("stage"));

    // The explicit snapshot request through the bridge answers with the GET /api/queue body.
    late.send(new JsonObject().put("type", "send").put("address", "translive.snapshot").put("replyAddress", "snap-1").put("body", new JsonObject()));
    Frame reply = late.await(f -> "snap-1".equals(f.address())).await(5, TimeUnit.SECONDS);
    assertNotNull(reply.body().getJsonObject("queue"));
    assertEquals(taskId, reply.body().getJsonArray("progress").getJsonObject(0).getString("task_id"));

    JsonObject polled = server.http.get("/api/queue").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
    assertEquals(taskId, polled.getJsonArray("progress").getJsonObject(0).getString("task_id"));
    assertEquals("queue_update", polled.getJsonObject("queue").getString("type"));
    assertFalse(late.closed());
    early.close();
    late.close();
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void socketsOverTheConnectionCapAreClosedWithAReasonAndOthersKeepWorking(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("bridge.maxConnections", 2)).await(20, TimeUnit.SECONDS);
    BridgeClient a = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    BridgeClient b = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    a.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);
    b.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);

    BridgeClient refused = BridgeClient.connect(vertx, server.port).await(5, TimeUnit.SECONDS);
    Frame error = refused.await(f -> "err".equals(f.json().getString("type"))).await(5, TimeUnit.SECONDS);
    assertEquals("max_connections_reached", error.json().getString("body"));
    Eventually.holds(refused::closed);

    String taskId = server.submitText("ok.txt", TestServer.sentences(3)).await(10, TimeUnit.SECONDS).getString("task_id");
    a.await(BridgeClient.completedOf(taskId)).await(10, TimeUnit.SECONDS);
    b.await(BridgeClient.completedOf(taskId)).await(10, TimeUnit.SECONDS);
    assertFalse(a.closed());

    // A freed slot admits a new socket.
    a.close().await(5, TimeUnit.SECONDS);
    Eventually.holds(() -> server.app.bridges().backlog().getInteger("sockets") == 1);
    BridgeClient c = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    c.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);
    b.close();
    c.close();
    server.stop().await(10, TimeUnit.SECONDS);
  }

}
