package dev.translive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A dead translation backend fails tasks with a clear message instead of hanging the queue. */
@ExtendWith(VertxExtension.class)
class DeadBackendTest {
  @TempDir Path dataDir;

  @Test
  void aTaskAgainstADeadBackendFailsClearlyAndTheQueueMovesOn(Vertx vertx) throws Exception {
    int deadPort = ServiceProcess.freePort();
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.openai", new JsonObject()
        .put("baseUrl", "http://127.0.0.1:" + deadPort + "/v1").put("model", "gone").put("maxRetries", 1)
        .put("retryBaseMs", 10).put("timeoutMs", 2000))).await(20, TimeUnit.SECONDS);
    JsonObject doomed = server.submit("doomed.txt", "Nobody will translate this.", Map.of("engine", "openai"))
        .await(5, TimeUnit.SECONDS).bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
    JsonObject next = server.submitText("next.txt", "The demo engine will.").await(5, TimeUnit.SECONDS);

    JsonObject failed = server.awaitFinished(doomed.getString("task_id")).await(30, TimeUnit.SECONDS);
    assertEquals("failed", failed.getString("status"));
    String error = failed.getString("error");
    assertTrue(error.contains("openai"), "the error names the engine: " + error);
    assertEquals("completed", server.awaitFinished(next.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    server.stop().await(10, TimeUnit.SECONDS);
  }
}
