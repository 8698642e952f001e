package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.Eventually;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fair share, priority, pause and resume, and the operator's view, through the real HTTP API, the
 * bus and the bridge of an in-process service (issue 11 items 3, 4 and 6).
 */
@ExtendWith(VertxExtension.class)
class QueueFeaturesTest {
  private static final String ADMIN_KEY = "operator-secret-key-1";
  private static final String ALICE = "alice-browser-0001";
  private static final String BOB = "bob-browser-0002";
  @TempDir Path dataDir;

  /** The demo engine one segment per call, slow enough that the queue holds its order while we look. */
  private static Map<String, Object> slowDemo(Object... more) {
    Map<String, Object> config = new HashMap<>(Map.of("engines.demo.delayMs", 60, "engines.demo.batchSize", 1,
        "admin.key", ADMIN_KEY));
    for (int i = 0; i < more.length; i += 2) {
      config.put((String) more[i], more[i + 1]);
    }
    return config;
  }

  private static HttpResponse<Buffer> upload(TestServer server, String clientId, Map<String, String> headers,
      Map<String, String> fields, String... filenames) throws Exception {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    for (String name : filenames) {
      form.binaryFileUpload("file", name, Buffer.buffer(TestServer.sentences(12).replace("Sentence", name)), "text/plain");
    }
    var request = server.http.post("/api/tasks");
    if (clientId != null) {
      request.putHeader("X-Client-Id", clientId);
    }
    headers.forEach(request::putHeader);
    return request.sendMultipartForm(form).await(20, TimeUnit.SECONDS);
  }

  private static JsonArray accepted(HttpResponse<Buffer> response) {
    assertEquals(202, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("tasks");
  }

  private static JsonObject get(TestServer server, String id) throws Exception {
    return server.task(id).await(5, TimeUnit.SECONDS);
  }

  private static JsonObject finished(TestServer server, String id) throws Exception {
    return server.awaitFinished(id).await(60, TimeUnit.SECONDS);
  }

  @Test
  void aSecondClientsSingleFileStartsBeforeTheFirstClientsSecondFile(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, slowDemo()).await(20, TimeUnit.SECONDS);
    try {
      BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
      JsonArray a = accepted(upload(server, ALICE, Map.of(), Map.of(), "a1.txt", "a2.txt", "a3.txt"));
      JsonArray b = accepted(upload(server, BOB, Map.of(), Map.of(), "b1.txt"));
      String b1 = b.getJsonObject(0).getString("task_id");
      assertEquals(1, b.getJsonObject(0).getInteger("position"), "bob's one file is next, not behind alice's two");
      assertEquals(1, get(server, b1).getInteger("position"));
      // The broadcast queue shows the same order: bob's file heads the queue once it is in it.
      JsonObject queue = watcher.await(f -> "queue_update".equals(f.type()) && f.body().getJsonObject("data")
          .getJsonArray("queued").stream().anyMatch(q -> b1.equals(((JsonObject) q).getString("task_id"))))
          .await(10, TimeUnit.SECONDS).body().getJsonObject("data");
      assertEquals(b1, queue.getJsonArray("queued").getJsonObject(0).getString("task_id"), queue.encode());

      for (int i = 0; i < 3; i++) {
        finished(server, a.getJsonObject(i).getString("task_id"));
      }
      finished(server, b1);
      List<String> startOrder = watcher.frames.stream().filter(f -> "task_started".equals(f.type()))
          .map(f -> f.body().getString("task_id")).toList();
      int bobAt = startOrder.indexOf(b1);
      long aliceBefore = startOrder.subList(0, bobAt).stream()
          .filter(id -> a.stream().anyMatch(t -> ((JsonObject) t).getString("task_id").equals(id))).count();
      assertEquals(1, aliceBefore, "exactly one of alice's files started before bob's: " + startOrder);
      watcher.close();
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void busSubmittersNamedByTheClientHeaderShareTheQueueToo(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, slowDemo()).await(20, TimeUnit.SECONDS);
    try {
      List<JsonObject> alpha = List.of(busSubmit(vertx, "alpha", "x1.txt", null), busSubmit(vertx, "alpha", "x2.txt", null),
          busSubmit(vertx, "alpha", "x3.txt", null));
      JsonObject beta = busSubmit(vertx, "beta", "y1.txt", null);
      assertEquals(0, alpha.get(0).getInteger("position"), "alpha's first runs");
      assertEquals(1, beta.getInteger("position"), "beta's one document goes before alpha's second");
      JsonObject alphaSecond = busGet(vertx, alpha.get(1).getString("task_id"));
      assertEquals(2, alphaSecond.getInteger("position"));
      double betaStarted = finished(server, beta.getString("task_id")).getDouble("started_at");
      double alphaSecondStarted = finished(server, alpha.get(1).getString("task_id")).getDouble("started_at");
      assertTrue(betaStarted <= alphaSecondStarted, "beta started first");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void priorityHighNeedsTheAdminKeyAndGoesFirst(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, slowDemo()).await(20, TimeUnit.SECONDS);
    try {
      accepted(upload(server, ALICE, Map.of(), Map.of(), "first.txt"));
      accepted(upload(server, ALICE, Map.of(), Map.of(), "second.txt"));
      String low = accepted(upload(server, BOB, Map.of(), Map.of("priority", "low"), "low.txt")).getJsonObject(0)
          .getString("task_id");

      HttpResponse<Buffer> refused = upload(server, BOB, Map.of(), Map.of("priority", "high"), "urgent.txt");
      assertEquals(403, refused.statusCode());
      assertTrue(refused.bodyAsJsonObject().getString("message").contains("admin key"), refused.bodyAsString());
      HttpResponse<Buffer> wrongKey = upload(server, BOB, Map.of("X-Admin-Key", "guess"), Map.of("priority", "high"), "urgent.txt");
      assertEquals(403, wrongKey.statusCode());
      assertEquals(400, upload(server, BOB, Map.of(), Map.of("priority", "urgent"), "urgent.txt").statusCode());

      JsonObject high = accepted(upload(server, "carol-browser-03", Map.of("X-Admin-Key", ADMIN_KEY), Map.of("priority", "high"),
          "urgent.txt")).getJsonObject(0);
      assertEquals(1, high.getInteger("position"), "high goes before every normal and low task");
      assertEquals("high", get(server, high.getString("task_id")).getString("priority"));
      assertEquals(3, get(server, low).getInteger("position"), "low waits behind normal");

      int denied = failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer("Bus text.\n"),
          busHeaders("delta", "bus.txt").addHeader("priority", "high")));
      assertEquals(403, denied);
      JsonObject busHigh = vertx.eventBus().<JsonObject>request("translive.tasks.submit", Buffer.buffer("Bus text.\n"),
          busHeaders("delta", "bus.txt").addHeader("priority", "high").addHeader("admin_key", ADMIN_KEY))
          .await(10, TimeUnit.SECONDS).body();
      assertEquals(2, busHigh.getInteger("position"), "behind the earlier high task");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theOwnerPausesAtABatchBoundaryAndResumesWithoutPayingTwice(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 80, 1).await(5, TimeUnit.SECONDS);
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engine", "openai", "engines.openai.baseUrl", fake.baseUrl(),
        "engines.openai.model", "fake-1", "engines.openai.batchSize", 2, "engines.openai.maxConcurrency", 1))
        .await(20, TimeUnit.SECONDS);
    try {
      BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
      JsonObject big = accepted(upload(server, ALICE, Map.of(), Map.of(), "big.txt")).getJsonObject(0);
      String id = big.getString("task_id");
      String token = big.getString("token");
      JsonObject next = accepted(upload(server, BOB, Map.of(), Map.of(), "next.txt")).getJsonObject(0);

      assertEquals(409, post(server, "/api/tasks/" + next.getString("task_id") + "/pause", next.getString("token")).statusCode(),
          "a queued task cannot be paused");
      Eventually.holds(() -> fake.segments.size() >= 4);
      assertEquals(403, post(server, "/api/tasks/" + id + "/pause", "wrong").statusCode());
      HttpResponse<Buffer> pausing = post(server, "/api/tasks/" + id + "/pause", token);
      assertEquals(200, pausing.statusCode(), pausing.bodyAsString());
      var paused = watcher.await(f -> "task_paused".equals(f.type()) && id.equals(f.body().getString("task_id")))
          .await(20, TimeUnit.SECONDS);
      assertEquals("paused", paused.body().getJsonObject("data").getString("status"));
      int paidAtPause = fake.segments.size();
      JsonObject task = get(server, id);
      assertEquals("paused", task.getString("status"));
      assertTrue(task.getDouble("progress") > 0, "progress kept: " + task.encode());
      // Its slot went to the next task, which runs to the end while the first waits.
      assertEquals("completed", finished(server, next.getString("task_id")).getString("status"));
      assertEquals("paused", get(server, id).getString("status"));
      assertEquals(409, post(server, "/api/tasks/" + id + "/pause", token).statusCode(), "not running");
      assertEquals(409, post(server, "/api/tasks/" + next.getString("task_id") + "/resume", next.getString("token")).statusCode());

      HttpResponse<Buffer> resumed = post(server, "/api/tasks/" + id + "/resume", token);
      assertEquals(200, resumed.statusCode(), resumed.bodyAsString());
      watcher.await(f -> "task_resumed".equals(f.type()) && id.equals(f.body().getString("task_id"))).await(5, TimeUnit.SECONDS);
      assertEquals("completed", finished(server, id).getString("status"));
      String result = server.http.get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", token).send()
          .await(5, TimeUnit.SECONDS).bodyAsString();
      assertTrue(result.startsWith("ES:big.txt number 1 is here."), result);
      assertEquals(24, fake.segments.size(), "each of the 24 segments paid once; " + paidAtPause + " before the pause");
      assertEquals(24, fake.segments.stream().distinct().count());
      watcher.close();
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
      fake.close();
    }
  }

  @Test
  void pauseAndResumeWorkOnTheBusAsWell(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, slowDemo()).await(20, TimeUnit.SECONDS);
    try {
      JsonObject sub = busSubmit(vertx, "alpha", "bus.txt", TestServer.sentences(30));
      JsonObject ref = new JsonObject().put("task_id", sub.getString("task_id")).put("token", sub.getString("token"));
      Eventually.holds(() -> "translating".equals(busGet(vertx, sub.getString("task_id")).getString("stage")));
      assertEquals("pausing", vertx.eventBus().<JsonObject>request("translive.tasks.pause", ref).await(5, TimeUnit.SECONDS)
          .body().getString("status"));
      Eventually.holds(() -> "paused".equals(busGet(vertx, sub.getString("task_id")).getString("status")));
      assertEquals(409, failureCode(vertx.eventBus().request("translive.tasks.pause", ref)));
      assertEquals("queued", vertx.eventBus().<JsonObject>request("translive.tasks.resume", ref).await(5, TimeUnit.SECONDS)
          .body().getString("status"));
      assertEquals("completed", finished(server, sub.getString("task_id")).getString("status"));
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theOperatorSeesEveryTaskReprioritisesCancelsAndDrainsTheQueue(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, slowDemo("queue.showFilenames", false)).await(20, TimeUnit.SECONDS);
    try {
      BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
      JsonObject running = accepted(upload(server, ALICE, Map.of(), Map.of(), "secret-plan.txt")).getJsonObject(0);
      JsonObject waiting = accepted(upload(server, ALICE, Map.of(), Map.of(), "second-plan.txt")).getJsonObject(0);
      JsonObject bobs = accepted(upload(server, BOB, Map.of(), Map.of(), "bobs.txt")).getJsonObject(0);

      assertEquals(403, server.http.get("/api/admin/tasks").send().await(5, TimeUnit.SECONDS).statusCode());
      assertEquals(403, server.http.get("/api/admin/tasks").putHeader("X-Admin-Key", "guess").send()
          .await(5, TimeUnit.SECONDS).statusCode());
      JsonObject list = admin(server.http.get("/api/admin/tasks")).bodyAsJsonObject();
      JsonObject listed = list.getJsonArray("tasks").stream().map(JsonObject.class::cast)
          .filter(t -> t.getString("task_id").equals(waiting.getString("task_id"))).findFirst().orElseThrow();
      assertEquals("second-plan.txt", listed.getString("filename"), "the operator sees real names");
      assertEquals("client:" + ALICE, listed.getString("client"));
      assertFalse(get(server, waiting.getString("task_id")).getString("filename").contains("plan"), "others do not");

      assertEquals(403, server.http.patchAbs("http://127.0.0.1:" + server.port + "/api/tasks/" + bobs.getString("task_id"))
          .sendJsonObject(new JsonObject().put("priority", "high")).await(5, TimeUnit.SECONDS).statusCode());
      HttpResponse<Buffer> raised = admin(server.http.patchAbs("http://127.0.0.1:" + server.port + "/api/tasks/"
          + waiting.getString("task_id")), new JsonObject().put("priority", "high"));
      assertEquals("high", raised.bodyAsJsonObject().getString("priority"));
      assertEquals(1, get(server, waiting.getString("task_id")).getInteger("position"));
      assertEquals(400, admin(server.http.patchAbs("http://127.0.0.1:" + server.port + "/api/tasks/"
          + waiting.getString("task_id")), new JsonObject().put("priority", "top")).statusCode());

      // Cancelling someone else's task needs their token, or the admin key.
      assertEquals(403, server.http.delete("/api/tasks/" + bobs.getString("task_id")).putHeader("X-Admin-Key", "guess").send()
          .await(5, TimeUnit.SECONDS).statusCode());
      assertEquals(200, admin(server.http.delete("/api/tasks/" + bobs.getString("task_id"))).statusCode());
      assertEquals("cancelled", finished(server, bobs.getString("task_id")).getString("status"));

      // Draining: the running task finishes, nothing new starts, and queue_update says so.
      assertTrue(admin(server.http.post("/api/admin/queue/pause")).bodyAsJsonObject().getBoolean("queue_paused"));
      watcher.await(f -> "queue_update".equals(f.type()) && f.body().getJsonObject("data").getBoolean("queue_paused", false))
          .await(5, TimeUnit.SECONDS);
      assertEquals("completed", finished(server, running.getString("task_id")).getString("status"));
      JsonObject held = get(server, waiting.getString("task_id"));
      assertEquals("queued", held.getString("status"));
      assertEquals(1, held.getInteger("position"));
      assertFalse(admin(server.http.post("/api/admin/queue/resume")).bodyAsJsonObject().getBoolean("queue_paused"));
      assertEquals("completed", finished(server, waiting.getString("task_id")).getString("status"));
      watcher.close();
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutAConfiguredKeyNobodyIsTheOperator(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    try {
      HttpResponse<Buffer> response = server.http.post("/api/admin/queue/pause").putHeader("X-Admin-Key", "").send()
          .await(5, TimeUnit.SECONDS);
      assertEquals(403, response.statusCode());
      assertTrue(response.bodyAsJsonObject().getString("message").contains("TRANSLIVE_ADMIN_KEY"), response.bodyAsString());
      assertEquals(403, upload(server, ALICE, Map.of(), Map.of("priority", "high"), "x.txt").statusCode());
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<Buffer> admin(io.vertx.ext.web.client.HttpRequest<Buffer> request) throws Exception {
    HttpResponse<Buffer> response = request.putHeader("X-Admin-Key", ADMIN_KEY).send().await(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response;
  }

  private static HttpResponse<Buffer> admin(io.vertx.ext.web.client.HttpRequest<Buffer> request, JsonObject body) throws Exception {
    return request.putHeader("X-Admin-Key", ADMIN_KEY).sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> post(TestServer server, String path, String token) throws Exception {
    return server.http.post(path).putHeader("X-Task-Token", token).send().await(10, TimeUnit.SECONDS);
  }

  private static DeliveryOptions busHeaders(String client, String filename) {
    return new DeliveryOptions().addHeader("filename", filename).addHeader("source_lang", "en").addHeader("target_lang", "es")
        .addHeader("client", client);
  }

  private static JsonObject busSubmit(Vertx vertx, String client, String filename, String text) throws Exception {
    return vertx.eventBus().<JsonObject>request("translive.tasks.submit",
        Buffer.buffer(text == null ? TestServer.sentences(12).replace("Sentence", filename) : text), busHeaders(client, filename))
        .await(10, TimeUnit.SECONDS).body();
  }

  private static JsonObject busGet(Vertx vertx, String id) {
    try {
      return vertx.eventBus().<JsonObject>request("translive.tasks.get", new JsonObject().put("task_id", id))
          .await(5, TimeUnit.SECONDS).body();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer to translive.tasks.get", e);
    }
  }

  private static int failureCode(Future<?> request) throws Exception {
    try {
      request.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
    throw new AssertionError("the request succeeded");
  }
}
