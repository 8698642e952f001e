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

/** One submitter cannot fill the queue, and one task cannot hold a slot forever. */
@ExtendWith(VertxExtension.class)
class QueueLimitsTest {
  @TempDir Path dataDir;

  @Test
  void aTaskPastItsRunTimeFailsWithTheReason(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("task.maxRunSeconds", 1, "engines.demo.delayMs", 600_000))
        .await(20, TimeUnit.SECONDS);
    try {
      String id = server.submitText("slow.txt", "One.\nTwo.\n").await(10, TimeUnit.SECONDS).getString("task_id");
      JsonObject done = server.awaitFinished(id).await(30, TimeUnit.SECONDS);
      assertEquals("failed", done.getString("status"));
      assertTrue(done.getString("error").contains("task.maxRunSeconds"), done.getString("error"));
      JsonObject next = server.submitText("next.txt", "Three.\n").await(10, TimeUnit.SECONDS);
      assertEquals(0, next.getInteger("position"), "the slot is free again: " + next);
    } finally {
      server.app.undeploy().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyFileCountsTowardsOneSubmittersShare(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("queue.maxQueuedPerClient", 1, "engines.demo.delayMs", 600_000))
        .await(20, TimeUnit.SECONDS);
    try {
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
    } finally {
      server.app.undeploy().await(20, TimeUnit.SECONDS);
    }
  }

  private static Future<Void> awaitStatus(TestServer server, String taskId, String status) {
    return server.task(taskId).compose(t -> status.equals(t.getString("status"))
        ? Future.<Void>succeededFuture()
        : server.vertx.timer(50).compose(v -> awaitStatus(server, taskId, status)));
  }
}
