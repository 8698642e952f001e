package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Engine call counts, measured at a local OpenAI-compatible server: dedup and the persistent memory. */
@ExtendWith(VertxExtension.class)
class TranslationMemoryTest {
  @TempDir Path dataDir;

  @Test
  void duplicatesGoOnceResubmissionsCostNothingAndRevisionsPayOnlyForChanges(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 5, 8).await(5, TimeUnit.SECONDS);
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engine", "openai",
        "engines.openai", new JsonObject().put("baseUrl", fake.baseUrl()).put("model", "fake-1").put("batchSize", 4)))
        .await(20, TimeUnit.SECONDS);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);

    String original = "Alpha.\nBeta.\nAlpha.\nGamma.\nBeta.\nAlpha.\n";
    JsonObject first = server.submitText("doc.txt", original).await(5, TimeUnit.SECONDS);
    JsonObject done = server.awaitFinished(first.getString("task_id")).await(20, TimeUnit.SECONDS);
    assertEquals("completed", done.getString("status"), done.encode());
    assertEquals(3, fake.segments.size(), "6 segments, 3 distinct: the engine sees 3");
    assertEquals(new HashSet<>(java.util.List.of("Alpha.", "Beta.", "Gamma.")), new HashSet<>(fake.segments));
    assertEquals(6, done.getInteger("total_segments"));
    assertEquals(3, done.getInteger("unique_segments"));
    String result = server.http.get("/api/tasks/" + first.getString("task_id") + "/result")
        .putHeader("X-Task-Token", first.getString("token")).send().await(5, TimeUnit.SECONDS).bodyAsString();
    assertEquals("ES:Alpha.\nES:Beta.\nES:Alpha.\nES:Gamma.\nES:Beta.\nES:Alpha.\n", result);

    JsonObject again = server.submitText("doc.txt", original).await(5, TimeUnit.SECONDS);
    assertEquals("completed", server.awaitFinished(again.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    assertEquals(3, fake.segments.size(), "resubmitting the same document makes zero engine calls");
    var progress = watcher.await(f -> "progress_update".equals(f.type()) && again.getString("task_id").equals(f.body().getString("task_id"))
        && f.body().getJsonObject("data").getInteger("cached_segments") > 0).await(5, TimeUnit.SECONDS);
    JsonObject data = progress.body().getJsonObject("data");
    assertEquals(3, data.getInteger("unique_segments"));
    assertEquals(3, data.getInteger("cached_segments"));
    assertEquals(0, data.getInteger("to_translate_segments"));
    String againPath = "/api/tasks/" + again.getString("task_id");
    assertEquals(3, server.http.get(againPath).putHeader("X-Task-Token", again.getString("token")).send()
        .await(5, TimeUnit.SECONDS).bodyAsJsonObject().getInteger("cached_segments"), "its owner sees what was remembered");
    assertEquals(null, server.http.get(againPath).send().await(5, TimeUnit.SECONDS).bodyAsJsonObject()
        .getValue("cached_segments"), "nobody else learns what the shared memory held");

    JsonObject revised = server.submitText("doc-v2.txt", original + "Delta.\n").await(5, TimeUnit.SECONDS);
    assertEquals("completed", server.awaitFinished(revised.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    assertEquals(4, fake.segments.size(), "a revised document pays only for what changed");
    assertEquals("Delta.", fake.segments.get(3));

    long remembered = server.app.store().memorySize().await(5, TimeUnit.SECONDS);
    assertEquals(4, remembered);
    assertTrue(fake.requests.get() <= 2, "segments were batched");
    server.stop().await(10, TimeUnit.SECONDS);
    fake.close();
  }

  /**
   * The attack of the hostile-input review: guessing a sentence and reading how many segments the
   * memory held. Another submitter's upload and estimate learn nothing; its own do reuse.
   */
  @Test
  void anotherSubmitterLearnsNothingFromTheMemoryAndItsOwnerReusesIt(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 5, 8).await(5, TimeUnit.SECONDS);
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engine", "openai",
        "engines.openai", new JsonObject().put("baseUrl", fake.baseUrl()).put("model", "fake-1").put("batchSize", 4)))
        .await(20, TimeUnit.SECONDS);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    String secret = "The price is 42 million dollars.\n";

    String victim = submitAs(server, "victim-browser-1", secret);
    server.awaitFinished(victim).await(20, TimeUnit.SECONDS);
    assertEquals(1, fake.segments.size());

    assertEquals(0, estimateAs(server, "attacker-browser", secret).getInteger("cached_segments"),
        "an estimate does not tell another submitter what is remembered");
    String guess = submitAs(server, "attacker-browser", secret);
    server.awaitFinished(guess).await(20, TimeUnit.SECONDS);
    JsonObject seen = watcher.await(f -> "task_completed".equals(f.type()) && guess.equals(f.body().getString("task_id")))
        .compose(done -> io.vertx.core.Future.succeededFuture(watcher.ofTask(guess).stream()
            .filter(f -> "progress_update".equals(f.type())).reduce((a, b) -> b).orElseThrow()))
        .await(5, TimeUnit.SECONDS).body().getJsonObject("data");
    assertEquals(0, seen.getInteger("cached_segments"), "the broadcast tells nobody what another submitter translated");
    assertEquals(2, fake.segments.size(), "the other submitter paid for its own translation");

    assertEquals(1, estimateAs(server, "victim-browser-1", secret).getInteger("cached_segments"), "the owner's estimate knows");
    String again = submitAs(server, "victim-browser-1", secret);
    server.awaitFinished(again).await(20, TimeUnit.SECONDS);
    assertEquals(2, fake.segments.size(), "the owner's resubmission is free");
    server.stop().await(10, TimeUnit.SECONDS);
    fake.close();
  }

  @Test
  void aSharedMemoryServesEverySubmitter(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 5, 8).await(5, TimeUnit.SECONDS);
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engine", "openai", "memory.scope", "shared",
        "engines.openai", new JsonObject().put("baseUrl", fake.baseUrl()).put("model", "fake-1").put("batchSize", 4)))
        .await(20, TimeUnit.SECONDS);
    server.awaitFinished(submitAs(server, "first-browser-1", "Shared words.\n")).await(20, TimeUnit.SECONDS);
    assertEquals(1, estimateAs(server, "second-browser", "Shared words.\n").getInteger("cached_segments"));
    server.awaitFinished(submitAs(server, "second-browser", "Shared words.\n")).await(20, TimeUnit.SECONDS);
    assertEquals(1, fake.segments.size(), "one translation served both");
    server.stop().await(10, TimeUnit.SECONDS);
    fake.close();
  }

  private static String submitAs(TestServer server, String clientId, String text) throws Exception {
    var form = io.vertx.ext.web.multipart.MultipartForm.create()
        .binaryFileUpload("file", "doc.txt", io.vertx.core.buffer.Buffer.buffer(text), "text/plain");
    var reply = server.http.post("/api/tasks").putHeader("X-Client-Id", clientId).sendMultipartForm(form)
        .await(10, TimeUnit.SECONDS);
    assertEquals(202, reply.statusCode(), reply.bodyAsString());
    return reply.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0).getString("task_id");
  }

  private static JsonObject estimateAs(TestServer server, String clientId, String text) throws Exception {
    var form = io.vertx.ext.web.multipart.MultipartForm.create()
        .binaryFileUpload("file", "doc.txt", io.vertx.core.buffer.Buffer.buffer(text), "text/plain");
    var reply = server.http.post("/api/estimate").putHeader("X-Client-Id", clientId).sendMultipartForm(form)
        .await(10, TimeUnit.SECONDS);
    assertEquals(200, reply.statusCode(), reply.bodyAsString());
    return reply.bodyAsJsonObject().getJsonArray("estimates").getJsonObject(0);
  }

  @Test
  void theMemoryIsBoundedWithLeastRecentlyUsedEviction(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 1, 8).await(5, TimeUnit.SECONDS);
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engine", "openai", "memory.maxEntries", 50,
        "engines.openai", new JsonObject().put("baseUrl", fake.baseUrl()).put("model", "fake-1").put("batchSize", 10)))
        .await(20, TimeUnit.SECONDS);
    JsonObject task = server.submitText("many.txt", TestServer.sentences(120)).await(5, TimeUnit.SECONDS);
    assertEquals("completed", server.awaitFinished(task.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    // The last batch's entries are written after the task's end is published.
    dev.translive.support.Eventually.holds(() -> server.app.store().memorySize().toCompletionStage().toCompletableFuture().join() >= 40);
    long size = server.app.store().memorySize().await(5, TimeUnit.SECONDS);
    assertTrue(size <= 50, "memory holds " + size + " entries, bound 50");
    assertTrue(size >= 40, "eviction keeps most of the bound, not nothing: " + size);
    server.stop().await(10, TimeUnit.SECONDS);
    fake.close();
  }
}
