package dev.translive.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Results survive restarts; finished tasks and their files go once the retention period is over. */
@ExtendWith(VertxExtension.class)
class RetentionTest {
  @TempDir Path dataDir;

  @Test
  void resultsSurviveARestartAndAreRemovedAfterTheRetentionPeriod(Vertx vertx) throws Exception {
    TestServer first = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    JsonObject task = first.submitText("keep.txt", "Keep me.\n").await(5, TimeUnit.SECONDS);
    String id = task.getString("task_id");
    assertEquals("completed", first.awaitFinished(id).await(20, TimeUnit.SECONDS).getString("status"));
    first.stop().await(10, TimeUnit.SECONDS);

    TestServer second = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    var download = second.http.get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", task.getString("token"))
        .send().await(5, TimeUnit.SECONDS);
    assertEquals(200, download.statusCode(), "the result survived the restart");
    assertEquals("[es] Keep me.\n", download.bodyAsString());
    assertEquals(1, second.http.get("/api/history").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject()
        .getJsonObject("stats").getInteger("count"), "history survived the restart");
    second.stop().await(10, TimeUnit.SECONDS);

    Thread.sleep(1500);
    // A retention of about a second: the sweep at start removes the task, its row and its files.
    TestServer third = TestServer.start(vertx, dataDir, Map.of("retention.finishedHours", 0.0003)).await(20, TimeUnit.SECONDS);
    long deadline = System.currentTimeMillis() + 10_000;
    int status;
    do {
      status = third.http.get("/api/tasks/" + id).send().await(5, TimeUnit.SECONDS).statusCode();
      Thread.sleep(50);
    } while (status != 404 && System.currentTimeMillis() < deadline);
    assertEquals(404, status, "the expired task is gone");
    try (Stream<Path> files = Stream.concat(Files.list(dataDir.resolve("uploads")), Files.list(dataDir.resolve("results")))) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(id)), "its files are gone");
    }
    assertTrue(Files.exists(dataDir.resolve("translive.db")));
    third.stop().await(10, TimeUnit.SECONDS);
  }
}
