package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /api/estimate and translive.tasks.estimate: counts, memory, price and a duration that the
 * real run then matches, against a local LLM whose time grows with the words it writes.
 */
@ExtendWith(VertxExtension.class)
class EstimateTest {
  @TempDir Path dataDir;

  @Test
  void estimateCountsPricesAndForetellsTheRealRun(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, EtaTruth.BASE_MS, EtaTruth.MS_PER_WORD, 4).await(5, TimeUnit.SECONDS);
    Map<String, Object> config = new HashMap<>(EtaTruth.openAi(fake, 1));
    config.put("engines.openai", ((JsonObject) config.get("engines.openai")).copy().put("pricePerMillionChars", 20.0));
    TestServer server = TestServer.start(vertx, dataDir, config).await(20, TimeUnit.SECONDS);
    try {
      BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
      // History for the engine and pair: one finished document.
      String first = server.submitText("report.txt", Workloads.report(20, 40, 7)).await(10, TimeUnit.SECONDS).getString("task_id");
      watcher.await(BridgeClient.completedOf(first)).await(60, TimeUnit.SECONDS);
      int paidBefore = fake.segments.size();

      String even = Workloads.even(80, 40, 8);
      JsonObject estimate = estimate(server, "even.txt", even);
      assertEquals("even.txt", estimate.getString("filename"));
      assertEquals(80, estimate.getInteger("segments"));
      assertEquals(80, estimate.getInteger("unique_segments"));
      assertEquals(0, estimate.getInteger("cached_segments"));
      long characters = estimate.getLong("characters");
      assertTrue(characters > 80 * 40 * 3, "characters " + characters);
      assertEquals((long) Math.ceil(characters / 4.0), estimate.getLong("tokens"));
      assertEquals("openai", estimate.getString("engine"));
      assertEquals(0.0, estimate.getDouble("start_in_seconds"), 0.5, "nothing is running or waiting");
      assertEquals(characters * 20.0 / 1e6, estimate.getJsonObject("cost").getDouble("amount"), 0.0001);
      assertEquals("USD", estimate.getJsonObject("cost").getString("currency"));
      assertEquals(paidBefore, fake.segments.size(), "an estimate translates nothing");
      JsonObject queue = server.http.get("/api/queue").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals(0, queue.getJsonObject("queue").getJsonObject("data").getInteger("queue_length"), "an estimate queues nothing");
      assertEquals(0, queue.getJsonObject("queue").getJsonObject("data").getJsonArray("running").size());
      assertTrue(noFiles(dataDir.resolve("incoming")) && noFiles(dataDir.resolve("uploads")) || onlyTaskFiles(dataDir, first),
          "an estimate keeps no file");

      // The real run of the same document takes what the estimate said, within 25%.
      String id = server.submitText("even.txt", even).await(10, TimeUnit.SECONDS).getString("task_id");
      JsonObject done = watcher.await(BridgeClient.completedOf(id)).await(60, TimeUnit.SECONDS).body();
      double real = done.getJsonObject("data").getDouble("duration_seconds");
      double said = estimate.getDouble("duration_seconds");
      System.out.printf("EstimateTest: estimated %.1f s, the real run took %.1f s%n", said, real);
      assertTrue(Math.abs(said - real) <= 0.25 * real, "estimated " + said + " s, the real run took " + real + " s");

      // Once translated, the same document is remembered for its submitter: nothing left to pay or wait for.
      JsonObject again = estimate(server, "even.txt", even, Map.of());
      assertEquals(80, again.getInteger("cached_segments"));
      assertEquals(0, busEstimate(vertx, "even.txt", even).getInteger("cached_segments"),
          "a service on the bus is another submitter: the browser's memory is not its to read");
      assertEquals(0.0, again.getDouble("duration_seconds"), 0.01);
      assertEquals(0.0, again.getJsonObject("cost").getDouble("amount"), 0.0);

      // An engine with no price has no cost.
      JsonObject demo = estimate(server, "note.txt", "One line to translate.\n", Map.of("engine", "demo"));
      assertNull(demo.getValue("cost"));
      watcher.close();
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
      fake.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void maxCostRefusesATaskThatWouldCostMoreAndQueuesNothing(Vertx vertx) throws Exception {
    // A price of one unit a character makes the cost the characters to translate.
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.pricePerMillionChars", 1_000_000.0,
        "engines.demo.currency", "EUR")).await(20, TimeUnit.SECONDS);
    try {
      String text = "Forty characters of text to translate!!\n"; // 39 characters on its one line
      HttpResponse<Buffer> refused = post(server, "/api/tasks", "dear.txt", text, Map.of("max_cost", "10"));
      assertEquals(400, refused.statusCode(), refused.bodyAsString());
      JsonObject body = refused.bodyAsJsonObject();
      assertEquals("bad_request", body.getString("error"));
      assertTrue(body.getString("message").contains("max_cost"), body.getString("message"));
      assertEquals(39.0, body.getJsonArray("estimates").getJsonObject(0).getJsonObject("cost").getDouble("amount"), 0.001);
      assertEquals("EUR", body.getJsonArray("estimates").getJsonObject(0).getJsonObject("cost").getString("currency"));
      JsonObject queue = server.http.get("/api/queue").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject().getJsonObject("queue");
      assertEquals(0, queue.getJsonObject("data").getInteger("queue_length") + queue.getJsonObject("data").getJsonArray("running").size(),
          "nothing was queued");
      HttpResponse<Buffer> badLimit = post(server, "/api/tasks", "dear.txt", text, Map.of("max_cost", "cheap"));
      assertEquals(400, badLimit.statusCode());

      HttpResponse<Buffer> accepted = post(server, "/api/tasks", "dear.txt", text, Map.of("max_cost", "39.5"));
      assertEquals(202, accepted.statusCode(), accepted.bodyAsString());

      Throwable busRefused = vertx.eventBus().request("translive.tasks.submit", Buffer.buffer(text),
          new DeliveryOptions().addHeader("filename", "dear.txt").addHeader("max_cost", "1")).transform(Future::succeededFuture)
          .await(10, TimeUnit.SECONDS).cause();
      assertTrue(busRefused instanceof ReplyException r && r.failureCode() == 400, "bus submit over max_cost: " + busRefused);
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnreadableDocumentIsRefusedAndNotKept(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    try {
      HttpResponse<Buffer> empty = post(server, "blank.txt", "  \n\n", Map.of());
      assertEquals(422, empty.statusCode(), empty.bodyAsString());
      HttpResponse<Buffer> none = server.http.post("/api/estimate").sendMultipartForm(MultipartForm.create().attribute("x", "y"))
          .await(5, TimeUnit.SECONDS);
      assertEquals(400, none.statusCode());
      assertTrue(noFiles(dataDir.resolve("incoming")), "the refused upload is deleted");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject estimate(TestServer server, String name, String content) throws Exception {
    return estimate(server, name, content, Map.of());
  }

  private static JsonObject estimate(TestServer server, String name, String content, Map<String, String> fields) throws Exception {
    HttpResponse<Buffer> response = post(server, name, content, fields);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("estimates").getJsonObject(0);
  }

  private static HttpResponse<Buffer> post(TestServer server, String name, String content, Map<String, String> fields)
      throws Exception {
    return post(server, "/api/estimate", name, content, fields);
  }

  private static HttpResponse<Buffer> post(TestServer server, String path, String name, String content, Map<String, String> fields)
      throws Exception {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    form.binaryFileUpload("file", name, Buffer.buffer(content), "application/octet-stream");
    return server.http.post(path).sendMultipartForm(form).await(30, TimeUnit.SECONDS);
  }

  private static JsonObject busEstimate(Vertx vertx, String name, String content) throws Exception {
    return vertx.eventBus().<JsonObject>request("translive.tasks.estimate", Buffer.buffer(content),
        new DeliveryOptions().addHeader("filename", name)).await(30, TimeUnit.SECONDS).body();
  }

  private static boolean noFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  /** The uploads dir holds only what the submitted tasks left. */
  private static boolean onlyTaskFiles(Path dataDir, String taskId) throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("uploads"))) {
      return noFiles(dataDir.resolve("incoming")) && files.allMatch(f -> f.getFileName().toString().startsWith(taskId));
    }
  }
}
