package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.Eventually;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pause, kill -9, restart, resume: the task is still paused after the restart, does not run until
 * resumed, and then no segment is paid for twice (counted at a local OpenAI-compatible backend).
 */
@ExtendWith(VertxExtension.class)
class PauseAcrossRestartIT {
  private static final int SEGMENTS = 120;
  @TempDir Path work;

  @Test
  void aPausedTaskSurvivesKillMinusNineAndResumesWithoutRepaying(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 100, 1).await(5, TimeUnit.SECONDS);
    int port = ServiceProcess.freePort();
    Map<String, String> env = ServiceProcess.env(
        "TRANSLIVE_DATA_DIR", work.resolve("data").toString(),
        "TRANSLIVE_ENGINE", "openai",
        "TRANSLIVE_OPENAI_BASE_URL", fake.baseUrl(),
        "TRANSLIVE_OPENAI_MODEL", "fake-1",
        "TRANSLIVE_ENGINES_OPENAI_BATCH_SIZE", "5",
        "TRANSLIVE_ENGINES_OPENAI_MAX_CONCURRENCY", "1");
    ServiceProcess first = ServiceProcess.start(work, port, env, "first.log");
    ServiceProcess second = null;
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      String text = TestServer.sentences(SEGMENTS).replace("Sentence", "paused sentence");
      MultipartForm form = MultipartForm.create().binaryFileUpload("file", "long.txt", Buffer.buffer(text), "text/plain");
      var response = http.post("/api/tasks").sendMultipartForm(form).await(10, TimeUnit.SECONDS);
      assertEquals(202, response.statusCode(), response.bodyAsString());
      JsonObject task = response.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
      String id = task.getString("task_id");
      String token = task.getString("token");
      Eventually.holds(() -> fake.segments.size() >= 20);
      var pausing = http.post("/api/tasks/" + id + "/pause").putHeader("X-Task-Token", token).send().await(5, TimeUnit.SECONDS);
      assertEquals(200, pausing.statusCode(), pausing.bodyAsString());
      JsonObject paused = awaitStatus(http, id, "paused");
      int paidAtPause = fake.segments.size();
      assertTrue(paidAtPause < SEGMENTS, "paused before the end: " + paidAtPause);
      assertTrue(paused.getDouble("progress") > 0.1, paused.encode());

      first.kill();
      second = ServiceProcess.start(work, port, env, "second.log");
      JsonObject afterRestart = http.get("/api/tasks/" + id).send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals("paused", afterRestart.getString("status"), "still paused after kill -9: " + afterRestart.encode());
      assertTrue(afterRestart.getDouble("progress") >= paused.getDouble("progress") - 1e-9, "progress kept: " + afterRestart.encode());
      assertEquals(paidAtPause, fake.segments.size(), "a paused task does not run by itself after a restart");

      var resumed = http.post("/api/tasks/" + id + "/resume").putHeader("X-Task-Token", token).send().await(5, TimeUnit.SECONDS);
      assertEquals(200, resumed.statusCode(), resumed.bodyAsString());
      JsonObject done = awaitStatus(http, id, "completed");
      assertEquals(SEGMENTS, done.getInteger("total_segments"));
      String result = http.get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", token).send()
          .await(10, TimeUnit.SECONDS).bodyAsString();
      assertTrue(result.startsWith("ES:paused sentence number 1 is here."), result);
      assertTrue(result.contains("ES:paused sentence number " + SEGMENTS + " is here."), result);
      assertEquals(SEGMENTS, fake.segments.stream().distinct().count(), "every segment translated");
      assertEquals(SEGMENTS, fake.segments.size(), "no segment paid twice (" + paidAtPause + " before the pause)");
    } finally {
      http.close();
      if (first.alive()) {
        first.stop();
      }
      if (second != null) {
        second.stop();
      }
      fake.close();
    }
  }

  private static JsonObject awaitStatus(WebClient http, String id, String status) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject task = http.get("/api/tasks/" + id).send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      if (status.equals(task.getString("status"))) {
        return task;
      }
      if (List.of("completed", "failed", "cancelled").contains(task.getString("status"))) {
        throw new AssertionError("ended " + task.encode() + " while waiting for " + status);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("task " + id + " never became " + status);
  }
}
