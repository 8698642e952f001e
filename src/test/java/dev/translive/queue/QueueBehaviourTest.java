package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Cancel, tokens, positions and waits, through the real HTTP API. */
@ExtendWith(VertxExtension.class)
class QueueBehaviourTest {
  @TempDir Path dataDir;

  private TestServer slowServer(Vertx vertx) throws Exception {
    // 200 ms a segment, one segment per batch: a 20-segment task runs ~4 s.
    return TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 200, "engines.demo.batchSize", 1))
        .await(20, TimeUnit.SECONDS);
  }

  @Test
  void cancelledQueuedTaskNeverStarts(Vertx vertx) throws Exception {
    TestServer server = slowServer(vertx);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    JsonObject first = server.submitText("first.txt", TestServer.sentences(10)).await(5, TimeUnit.SECONDS);
    JsonObject second = server.submitText("second.txt", TestServer.sentences(10)).await(5, TimeUnit.SECONDS);
    assertEquals(1, second.getInteger("position"));

    HttpResponse<Buffer> cancel = server.http.delete("/api/tasks/" + second.getString("task_id"))
        .putHeader("X-Task-Token", second.getString("token")).send().await(5, TimeUnit.SECONDS);
    assertEquals(200, cancel.statusCode());
    assertEquals("cancelled", cancel.bodyAsJsonObject().getString("status"));

    watcher.await(BridgeClient.completedOf(first.getString("task_id"))).await(20, TimeUnit.SECONDS);
    Thread.sleep(300);
    List<Frame> secondFrames = watcher.ofTask(second.getString("task_id"));
    assertTrue(secondFrames.stream().noneMatch(f -> "task_started".equals(f.type())), "a cancelled queued task never starts");
    Frame end = watcher.await(BridgeClient.completedOf(second.getString("task_id"))).await(1, TimeUnit.SECONDS);
    assertEquals("cancelled", end.body().getJsonObject("data").getString("status"));
    assertEquals("cancelled", server.task(second.getString("task_id")).await(5, TimeUnit.SECONDS).getString("status"));
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void cancelledRunningTaskStopsWithinASecondAndTheQueueMovesOn(Vertx vertx) throws Exception {
    TestServer server = slowServer(vertx);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    JsonObject running = server.submitText("long.txt", TestServer.sentences(100)).await(5, TimeUnit.SECONDS);
    JsonObject next = server.submitText("next.txt", TestServer.sentences(2)).await(5, TimeUnit.SECONDS);
    String runningId = running.getString("task_id");
    watcher.await(f -> "progress_update".equals(f.type()) && runningId.equals(f.body().getString("task_id"))
        && f.body().getJsonObject("data").getInteger("completed_segments") >= 2).await(10, TimeUnit.SECONDS);

    long cancelledAt = System.currentTimeMillis();
    HttpResponse<Buffer> cancel = server.http.delete("/api/tasks/" + runningId)
        .putHeader("X-Task-Token", running.getString("token")).send().await(5, TimeUnit.SECONDS);
    assertEquals(200, cancel.statusCode());
    Frame end = watcher.await(BridgeClient.completedOf(runningId)).await(5, TimeUnit.SECONDS);
    assertTrue(end.receivedAt() - cancelledAt < 1000, "stopped within a second");
    JsonObject endData = end.body().getJsonObject("data");
    assertEquals("cancelled", endData.getString("status"));
    assertFalse(endData.getBoolean("success"));

    JsonObject task = server.task(runningId).await(5, TimeUnit.SECONDS);
    assertEquals("cancelled", task.getString("status"));
    assertTrue(task.getInteger("completed_segments") < 100, "engine work was abandoned");
    // The queue moves on to the next task.
    JsonObject nextDone = server.awaitFinished(next.getString("task_id")).await(10, TimeUnit.SECONDS);
    assertEquals("completed", nextDone.getString("status"));
    // No progress for the cancelled task after its final message.
    Thread.sleep(500);
    List<Frame> frames = watcher.ofTask(runningId);
    assertEquals("task_completed", frames.get(frames.size() - 1).type());
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void onlyTheTokenHolderCancelsOrDownloadsAndTokensAreNeverBroadcast(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 100, "engines.demo.batchSize", 1))
        .await(20, TimeUnit.SECONDS);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    JsonObject task = server.submitText("secret.txt", TestServer.sentences(10)).await(5, TimeUnit.SECONDS);
    String id = task.getString("task_id");
    String token = task.getString("token");
    assertTrue(token.length() >= 22, "at least 128 bits of token");

    HttpResponse<Buffer> noToken = server.http.delete("/api/tasks/" + id).send().await(5, TimeUnit.SECONDS);
    assertEquals(403, noToken.statusCode());
    HttpResponse<Buffer> wrong = server.http.delete("/api/tasks/" + id).putHeader("X-Task-Token", token + "x")
        .send().await(5, TimeUnit.SECONDS);
    assertEquals(403, wrong.statusCode());
    assertEquals("forbidden", wrong.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> early = server.http.get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", token)
        .send().await(5, TimeUnit.SECONDS);
    assertEquals(409, early.statusCode(), "no result before completion");
    HttpResponse<Buffer> unknown = server.http.delete("/api/tasks/t-nope").putHeader("X-Task-Token", token)
        .send().await(5, TimeUnit.SECONDS);
    assertEquals(404, unknown.statusCode());

    server.awaitFinished(id).await(20, TimeUnit.SECONDS);
    HttpResponse<Buffer> stolen = server.http.get("/api/tasks/" + id + "/result?token=guess").send().await(5, TimeUnit.SECONDS);
    assertEquals(403, stolen.statusCode());
    HttpResponse<Buffer> result = server.http.get("/api/tasks/" + id + "/result?token=" + token).send().await(5, TimeUnit.SECONDS);
    assertEquals(200, result.statusCode());
    assertTrue(result.getHeader("Content-Disposition").contains("secret.es.txt"));
    assertTrue(result.bodyAsString().contains("[es] Sentence number 1 is here."));
    HttpResponse<Buffer> late = server.http.delete("/api/tasks/" + id).putHeader("X-Task-Token", token).send().await(5, TimeUnit.SECONDS);
    assertEquals(409, late.statusCode(), "cancelling a finished task conflicts");

    watcher.await(BridgeClient.completedOf(id)).await(5, TimeUnit.SECONDS);
    for (Frame f : watcher.frames) {
      assertFalse(f.json().encode().contains(token), "token in a broadcast message");
    }
    String status = server.task(id).await(5, TimeUnit.SECONDS).encode();
    assertFalse(status.contains(token), "token in the task status");
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void threeTasksGetPositionsAndWaitsThatAddUp(Vertx vertx) throws Exception {
    TestServer server = slowServer(vertx);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    JsonObject a = server.submitText("a.txt", TestServer.sentences(20)).await(5, TimeUnit.SECONDS);
    JsonObject b = server.submitText("b.txt", TestServer.sentences(10)).await(5, TimeUnit.SECONDS);
    JsonObject c = server.submitText("c.txt", TestServer.sentences(5)).await(5, TimeUnit.SECONDS);
    assertEquals(0, a.getInteger("position"));
    assertEquals(1, b.getInteger("position"));
    assertEquals(2, c.getInteger("position"));

    Frame update = watcher.await(f -> "queue_update".equals(f.type())
        && f.body().getJsonObject("data").getInteger("queue_length") == 2).await(5, TimeUnit.SECONDS);
    JsonObject data = update.body().getJsonObject("data");
    JsonArray queued = data.getJsonArray("queued");
    assertEquals(b.getString("task_id"), queued.getJsonObject(0).getString("task_id"));
    assertEquals(1, queued.getJsonObject(0).getInteger("position"));
    assertEquals("c.txt", queued.getJsonObject(1).getString("filename"));
    assertEquals(2, queued.getJsonObject(1).getInteger("position"));
    double waitB = queued.getJsonObject(0).getDouble("wait_seconds");
    double waitC = queued.getJsonObject(1).getDouble("wait_seconds");
    // B waits for A (20 segments at the demo's 0.2 s); C also for B's 10 segments.
    assertEquals(4.0, waitB, 1.0);
    assertEquals(waitB + 2.0, waitC, 0.3);

    JsonObject cStatus = server.task(c.getString("task_id")).await(5, TimeUnit.SECONDS);
    assertEquals(2, cStatus.getInteger("position"));
    assertEquals("queued", cStatus.getString("status"));
    assertEquals(waitC, cStatus.getDouble("wait_seconds"), 1.0);
    JsonObject aStatus = server.task(a.getString("task_id")).await(5, TimeUnit.SECONDS);
    assertEquals("running", aStatus.getString("status"));
    assertEquals(0, aStatus.getInteger("position"));
    assertNull(aStatus.getValue("error"));
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullQueueAnswers503AndLosesNothingElse(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 200, "engines.demo.batchSize", 1,
        "queue.maxQueued", 1)).await(20, TimeUnit.SECONDS);
    JsonObject running = server.submitText("run.txt", TestServer.sentences(5)).await(5, TimeUnit.SECONDS);
    JsonObject waiting = server.submitText("wait.txt", TestServer.sentences(2)).await(5, TimeUnit.SECONDS);
    HttpResponse<Buffer> refused = server.submit("over.txt", "Too many.", Map.of()).await(5, TimeUnit.SECONDS);
    assertEquals(503, refused.statusCode());
    assertEquals("queue_full", refused.bodyAsJsonObject().getString("error"));
    assertEquals("completed", server.awaitFinished(running.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    assertEquals("completed", server.awaitFinished(waiting.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    server.stop().await(10, TimeUnit.SECONDS);
  }
}
