package dev.translive.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 in the middle of a task, restart: everything resumes and nothing is paid for twice. */
@ExtendWith(VertxExtension.class)
class CrashRecoveryIT {
  @TempDir Path work;

  @Test
  void killMinusNineMidTaskLosesNothingAndPaysForNothingTwice(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, 150, 2).await(5, TimeUnit.SECONDS);
    int port = ServiceProcess.freePort();
    Map<String, String> env = ServiceProcess.env(
        "TRANSLIVE_DATA_DIR", work.resolve("data").toString(),
        "TRANSLIVE_ENGINE", "openai",
        "TRANSLIVE_OPENAI_BASE_URL", fake.baseUrl(),
        "TRANSLIVE_OPENAI_MODEL", "fake-1",
        "TRANSLIVE_ENGINES_OPENAI_BATCH_SIZE", "5",
        "TRANSLIVE_ENGINES_OPENAI_MAX_CONCURRENCY", "2");
    ServiceProcess first = ServiceProcess.start(work, port, env, "first.log");
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));

    List<JsonObject> tasks = new ArrayList<>();
    for (String[] doc : new String[][] {{"big.txt", "400"}, {"second.txt", "10"}, {"third.txt", "10"}}) {
      String text = TestServer.sentences(Integer.parseInt(doc[1])).replace("Sentence", doc[0] + " sentence");
      MultipartForm form = MultipartForm.create().binaryFileUpload("file", doc[0], Buffer.buffer(text), "text/plain");
      var response = http.post("/api/tasks").sendMultipartForm(form).await(10, TimeUnit.SECONDS);
      assertEquals(202, response.statusCode(), response.bodyAsString());
      tasks.add(response.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0));
    }
    BridgeClient before = BridgeClient.watching(vertx, port).await(10, TimeUnit.SECONDS);
    while (fake.segments.size() < 40) {
      Thread.sleep(5);
    }
    Thread.sleep(2500); // past the interval at which running progress is saved
    long killedAt = System.currentTimeMillis();
    first.kill();
    String big = tasks.get(0).getString("task_id");
    double progressBeforeKill = before.ofTask(big).stream().filter(f -> "progress_update".equals(f.type()))
        .mapToDouble(f -> f.body().getJsonObject("data").getDouble("progress")).max().orElse(0);
    int paidBeforeKill = fake.segments.size();
    Map<String, Long> answeredBeforeKill = new HashMap<>(fake.answeredAt);

    ServiceProcess second = ServiceProcess.start(work, port, env, "second.log");
    try {
      BridgeClient watcher = BridgeClient.watching(vertx, port).await(10, TimeUnit.SECONDS);
      String bigId = tasks.get(0).getString("task_id");
      // Clients see the task resume: its progress shows the segments already remembered.
      var resumed = watcher.await(f -> "progress_update".equals(f.type()) && bigId.equals(f.body().getString("task_id")))
          .await(20, TimeUnit.SECONDS);
      assertTrue(resumed.body().getJsonObject("data").getInteger("cached_segments") >= 30,
          "resumed with what was translated: " + resumed.body().encode());
      double firstAfter = watcher.ofTask(bigId).stream().filter(f -> "progress_update".equals(f.type()))
          .mapToDouble(f -> f.body().getJsonObject("data").getDouble("progress")).findFirst().orElse(1);
      // Progress is saved every second: after a kill it resumes from the last save, not from zero.
      assertTrue(firstAfter > 0.1 && firstAfter >= progressBeforeKill - 0.3,
          "progress does not restart from zero: " + firstAfter + " after " + progressBeforeKill);

      List<Double> finishedAt = new ArrayList<>();
      for (JsonObject task : tasks) {
        JsonObject done = awaitFinished(http, task.getString("task_id"));
        assertEquals("completed", done.getString("status"), done.encode() + "\n" + second.tail());
        finishedAt.add(done.getDouble("finished_at"));
        String result = http.get("/api/tasks/" + task.getString("task_id") + "/result")
            .putHeader("X-Task-Token", task.getString("token")).send().await(10, TimeUnit.SECONDS).bodyAsString();
        assertTrue(result.startsWith("ES:" + task.getString("filename") + " sentence number 1 is here."), result);
      }
      assertTrue(finishedAt.get(0) < finishedAt.get(1) && finishedAt.get(1) < finishedAt.get(2), "queue order kept: " + finishedAt);

      // Every segment answered well before the kill (so remembered) was never requested again.
      Map<String, Integer> counts = new HashMap<>();
      fake.segments.forEach(s -> counts.merge(s, 1, Integer::sum));
      for (Map.Entry<String, Long> e : answeredBeforeKill.entrySet()) {
        if (e.getValue() < killedAt - 1000) {
          assertEquals(1, counts.get(e.getKey()), "paid twice: " + e.getKey());
        }
      }
      long duplicates = counts.values().stream().filter(c -> c > 1).count();
      assertTrue(duplicates <= 10, "at most the batches in flight at the kill are repeated: " + duplicates);
      assertEquals(420, counts.size());
      assertTrue(paidBeforeKill >= 40);
      watcher.close();
    } finally {
      second.stop();
      fake.close();
    }
  }

  private static JsonObject awaitFinished(WebClient http, String taskId) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject task = http.get("/api/tasks/" + taskId).send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      if (List.of("completed", "failed", "cancelled").contains(task.getString("status"))) {
        return task;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("task " + taskId + " did not finish");
  }
}
