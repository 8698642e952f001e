package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A finished task answers, and its result downloads, for its whole retention, not only while it is in memory. */
@ExtendWith(VertxExtension.class)
class FinishedTasksTest {
  @TempDir Path dataDir;

  @Test
  void aTaskNoLongerInMemoryIsReadFromTheStore(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("queue.finishedInMemory", 1)).await(20, TimeUnit.SECONDS);
    try {
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
    } finally {
      server.app.undeploy().await(20, TimeUnit.SECONDS);
    }
  }
}
