package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Other services submit, follow and cancel tasks over the event bus, as CONTRACT.md says. */
@ExtendWith(VertxExtension.class)
class BusApiTest {
  @TempDir Path dataDir;

  private static DeliveryOptions headers(String filename) {
    return new DeliveryOptions().addHeader("filename", filename).addHeader("source_lang", "en").addHeader("target_lang", "es");
  }

  @Test
  void aServiceSubmitsFollowsAndDownloadsOverTheBus(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    JsonObject reply = vertx.eventBus().<JsonObject>request("translive.tasks.submit",
        Buffer.buffer("Hello from a service.\nSecond line.\n"), headers("service.txt")).await(10, TimeUnit.SECONDS).body();
    String id = reply.getString("task_id");
    assertTrue(id.startsWith("t-"));
    assertTrue(reply.getString("token").length() >= 22);
    assertEquals(0, reply.getInteger("position"));

    watcher.await(BridgeClient.completedOf(id)).await(10, TimeUnit.SECONDS);
    JsonObject task = vertx.eventBus().<JsonObject>request("translive.tasks.get", new JsonObject().put("task_id", id))
        .await(5, TimeUnit.SECONDS).body();
    assertEquals("completed", task.getString("status"));
    assertEquals("service.txt", task.getString("filename"));
    assertEquals(2, task.getInteger("total_segments"));
    String result = server.http.get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", reply.getString("token"))
        .send().await(5, TimeUnit.SECONDS).bodyAsString();
    assertEquals("[es] Hello from a service.\n[es] Second line.\n", result);
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void busFailuresAreReplyExceptionsWithTheContractCodes(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 300, "engines.demo.batchSize", 1))
        .await(20, TimeUnit.SECONDS);
    assertEquals(415, failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer("x"), headers("virus.exe"))));
    assertEquals(400, failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer("x"), new DeliveryOptions())));
    assertEquals(400, failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer(""), headers("empty.txt"))));
    assertEquals(404, failureCode(vertx.eventBus().request("translive.tasks.get", new JsonObject().put("task_id", "t-none"))));

    JsonObject reply = vertx.eventBus().<JsonObject>request("translive.tasks.submit",
        Buffer.buffer(TestServer.sentences(10)), headers("long.txt")).await(10, TimeUnit.SECONDS).body();
    String id = reply.getString("task_id");
    assertEquals(403, failureCode(vertx.eventBus().request("translive.tasks.cancel",
        new JsonObject().put("task_id", id).put("token", "wrong"))));
    JsonObject cancelled = vertx.eventBus().<JsonObject>request("translive.tasks.cancel",
        new JsonObject().put("task_id", id).put("token", reply.getString("token"))).await(5, TimeUnit.SECONDS).body();
    assertEquals(id, cancelled.getString("task_id"));
    assertEquals("cancelled", server.awaitFinished(id).await(5, TimeUnit.SECONDS).getString("status"));
    server.stop().await(10, TimeUnit.SECONDS);
  }

  private static int failureCode(io.vertx.core.Future<?> request) throws Exception {
    try {
      request.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof ReplyException, "a ReplyException, got " + e.getCause());
      ReplyException re = (ReplyException) e.getCause();
      assertTrue(re.getMessage() != null && !re.getMessage().isBlank(), "failures carry a message");
      return re.failureCode();
    }
    throw new AssertionError("request succeeded, expected a failure");
  }
}
