package dev.translive.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.Servers;
import dev.translive.support.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README: "Logs name task ids, never tokens, keys or document text." The jar as an operator runs
 * it, a full upload, cancel, wrong-token and download cycle, then its logs/app.log and console.
 */
@ExtendWith(VertxExtension.class)
class LogsKeepNoSecretsIT {
  private static final String API_KEY = "sk-test-key-that-must-never-be-logged-4711";
  private static final String SECRET_TEXT = "The launch code is purple elephant.";

  @RegisterExtension final Servers servers = new Servers();

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  void aFullCycleLeavesNoTokenKeyOrDocumentTextInTheLogs(Vertx vertx, VertxTestContext test) {
    Path work = servers.dir("service");
    List<JsonObject> tasks = new ArrayList<>();
    ServiceProcess[] service = new ServiceProcess[1];
    WebClient[] http = new WebClient[1];
    BridgeClient[] watcher = new BridgeClient[1];
    servers.fakeOpenAi(vertx, 50, 2)
        .compose(fake -> servers.process(work, 0, ServiceProcess.env(
            "TRANSLIVE_DATA_DIR", work.resolve("data").toString(),
            "TRANSLIVE_ENGINE", "openai",
            "TRANSLIVE_OPENAI_BASE_URL", fake.baseUrl(),
            "TRANSLIVE_OPENAI_MODEL", "fake-1",
            "TRANSLIVE_OPENAI_API_KEY", API_KEY), "console.log"))
        .compose(s -> {
          service[0] = s;
          http[0] = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(s.port));
          return servers.watch(vertx, s.port);
        })
        .compose(w -> {
          watcher[0] = w;
          MultipartForm form = MultipartForm.create()
              .binaryFileUpload("file", "kept.txt", Buffer.buffer(SECRET_TEXT + "\nA second line.\n"), "text/plain")
              .binaryFileUpload("file", "dropped.txt", Buffer.buffer("Cancelled before its turn.\n".repeat(3)), "text/plain");
          return http[0].post("/api/tasks").sendMultipartForm(form);
        })
        .compose(upload -> {
          assertEquals(202, upload.statusCode(), upload.bodyAsString());
          upload.bodyAsJsonObject().getJsonArray("tasks").forEach(t -> tasks.add((JsonObject) t));
          JsonObject kept = tasks.get(0);
          JsonObject dropped = tasks.get(1);
          return http[0].delete("/api/tasks/" + kept.getString("task_id")).putHeader("X-Task-Token", dropped.getString("token")).send()
              .compose(wrong -> {
                assertEquals(403, wrong.statusCode());
                return http[0].delete("/api/tasks/" + dropped.getString("task_id")).putHeader("X-Task-Token", dropped.getString("token")).send();
              })
              .compose(cancel -> watcher[0].await(BridgeClient.completedOf(kept.getString("task_id"))))
              .compose(done -> {
                assertEquals("completed", done.body().getJsonObject("data").getString("status"));
                return http[0].get("/api/tasks/" + kept.getString("task_id") + "/result?token=" + kept.getString("token")).send();
              })
              .compose(byQuery -> {
                assertEquals(200, byQuery.statusCode());
                return http[0].get("/api/tasks/" + kept.getString("task_id") + "/result").putHeader("X-Task-Token", kept.getString("token")).send();
              })
              .compose(byHeader -> {
                assertEquals(200, byHeader.statusCode());
                assertTrue(byHeader.bodyAsString().startsWith("ES:"), byHeader.bodyAsString());
                return http[0].get("/api/tasks/" + kept.getString("task_id") + "/result?token=" + dropped.getString("token")).send();
              });
        })
        // A clean stop flushes every appender; the logs are read after it.
        .compose(refused -> {
          assertEquals(403, refused.statusCode());
          return service[0].stopNow();
        })
        .onComplete(test.succeeding(v -> test.verify(() -> {
          String appLog = Files.readString(work.resolve("logs").resolve("app.log"));
          String console = service[0].logText();
          assertTrue(appLog.contains(tasks.get(0).getString("task_id")), "the log names task ids:\n" + appLog);
          for (String log : List.of(appLog, console)) {
            for (JsonObject task : tasks) {
              assertFalse(log.contains(task.getString("token")), "a token in the log:\n" + log);
            }
            assertFalse(log.contains(API_KEY), "the API key in the log");
            assertFalse(log.contains("purple elephant"), "document text in the log");
            assertFalse(log.contains("Cancelled before its turn"), "document text in the log");
          }
          test.completeNow();
        })));
  }
}
