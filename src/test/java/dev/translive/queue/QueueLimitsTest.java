package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One submitter cannot fill the queue, one task cannot hold a slot forever, and a finished task
 * answers for its whole retention, not only while it is in memory.
 */
@ExtendWith(VertxExtension.class)
class QueueLimitsTest {
  @TempDir Path dataDir;

  /** A test body run against a server that is always stopped afterwards. */
  private interface WithServer {
    void run(TestServer server) throws Exception;
  }

  private void withServer(Vertx vertx, Map<String, Object> overrides, WithServer test) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, overrides).await(20, TimeUnit.SECONDS);
    try {
      test.run(server);
    } finally {
      server.app.undeploy().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTaskPastItsRunTimeFailsWithTheReason(Vertx vertx) throws Exception {
    withServer(vertx, Map.of("task.maxRunSeconds", 1, "engines.demo.delayMs", 600_000), server -> {
      String id = server.submitText("slow.txt", "One.\nTwo.\n").await(10, TimeUnit.SECONDS).getString("task_id");
      JsonObject done = server.awaitFinished(id).await(30, TimeUnit.SECONDS);
      assertEquals("failed", done.getString("status"));
      assertTrue(done.getString("error").contains("task.maxRunSeconds"), done.getString("error"));
      JsonObject next = server.submitText("next.txt", "Three.\n").await(10, TimeUnit.SECONDS);
      assertEquals(0, next.getInteger("position"), "the slot is free again: " + next);
    });
  }

  @Test
  void everyFileCountsTowardsOneSubmittersShare(Vertx vertx) throws Exception {
    withServer(vertx, Map.of("queue.maxQueuedPerClient", 1, "engines.demo.delayMs", 600_000), server -> {
      String running = server.submitText("first.txt", "One.\n").await(10, TimeUnit.SECONDS).getString("task_id");
      awaitStatus(server, running, "running").await(10, TimeUnit.SECONDS);
      MultipartForm twoFiles = MultipartForm.create()
          .binaryFileUpload("file", "a.txt", Buffer.buffer("A.\n"), "text/plain")
          .binaryFileUpload("file", "b.txt", Buffer.buffer("B.\n"), "text/plain");
      HttpResponse<Buffer> refused = server.http.post("/api/tasks").sendMultipartForm(twoFiles).await(10, TimeUnit.SECONDS);
      assertEquals(429, refused.statusCode(), refused.bodyAsString());
      assertTrue(refused.bodyAsString().contains("tasks waiting"), refused.bodyAsString());
      // Had the file that fitted stayed queued, this one would exceed the share of one.
      JsonObject alone = server.submitText("c.txt", "C.\n").await(10, TimeUnit.SECONDS);
      assertEquals(1, alone.getInteger("position"), "the file that fitted was withdrawn with the refusal");
    });
  }

  @Test
  void aTaskNoLongerInMemoryIsReadFromTheStore(Vertx vertx) throws Exception {
    withServer(vertx, Map.of("queue.finishedInMemory", 1), server -> {
      JsonObject first = server.submitText("first.txt", "Good morning.\n").await(10, TimeUnit.SECONDS);
      String id = first.getString("task_id");
      String token = first.getString("token");
      assertEquals("completed", server.awaitFinished(id).await(30, TimeUnit.SECONDS).getString("status"));
      String second = server.submitText("second.txt", "Good night.\n").await(10, TimeUnit.SECONDS).getString("task_id");
      assertEquals("completed", server.awaitFinished(second).await(30, TimeUnit.SECONDS).getString("status"));

      HttpResponse<Buffer> status = server.http.get("/api/tasks/" + id).putHeader("X-Task-Token", token).send()
          .await(10, TimeUnit.SECONDS);
      assertEquals(200, status.statusCode(), status.bodyAsString());
      assertEquals("completed", status.bodyAsJsonObject().getString("status"));
      assertEquals("first.txt", status.bodyAsJsonObject().getString("filename"));
      HttpResponse<Buffer> result = server.http.get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", token).send()
          .await(10, TimeUnit.SECONDS);
      assertEquals(200, result.statusCode(), result.bodyAsString());
      assertTrue(result.bodyAsString().length() > 0);
      assertEquals(404, server.http.get("/api/tasks/t-000000000000000000000000").send().await(10, TimeUnit.SECONDS)
          .statusCode(), "an unknown task is still unknown");
    });
  }

  private static Future<Void> awaitStatus(TestServer server, String taskId, String status) {
    return server.task(taskId).compose(t -> status.equals(t.getString("status"))
        ? Future.<Void>succeededFuture()
        : server.vertx.timer(50).compose(v -> awaitStatus(server, taskId, status)));
  }
}
