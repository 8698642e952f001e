package dev.translive.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.Servers;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README: "engine=auto (the default) is apertium when installed, else demo". Apertium's modes are
 * made absent by pointing engines.apertium.modesDir at an empty directory.
 */
// Waits end at the awaited event; the limit only stops a test whose event never comes (loaded CI).
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class EngineAutoFallbackTest {
  @RegisterExtension final Servers servers = new Servers();
  private TestServer server;

  @Test
  void withoutApertiumModesAutoFallsBackToTheMarkedDemo(Vertx vertx, VertxTestContext test) {
    Map<String, Object> noApertium = Map.of("engine", "auto", "engines.apertium.modesDir", servers.dir("no-modes").toString());
    JsonObject[] task = new JsonObject[1];
    servers.start(vertx, noApertium)
        .compose(s -> (server = s).http.get("/api/engines").send())
        .compose(engines -> {
          JsonObject body = engines.bodyAsJsonObject();
          assertEquals("demo", body.getString("default"), body.encode());
          JsonObject apertium = body.getJsonArray("engines").stream().map(JsonObject.class::cast)
              .filter(e -> "apertium".equals(e.getString("id"))).findFirst().orElseThrow();
          assertFalse(apertium.getBoolean("available"), apertium.encode());
          assertTrue(apertium.getString("reason", "").length() > 0, "the reason is given: " + apertium.encode());
          return servers.watch(vertx, server.port);
        })
        // No engine named in the upload: the default, auto, applies.
        .compose(watcher -> server.submitText("plain.txt", "The house is red.\n").compose(t -> {
          task[0] = t;
          return watcher.await(BridgeClient.completedOf(t.getString("task_id")));
        }))
        .compose(end -> {
          assertEquals("completed", end.body().getJsonObject("data").getString("status"));
          return server.task(task[0].getString("task_id"));
        })
        .compose(status -> {
          assertEquals("demo", status.getString("engine"), status.encode());
          return server.result(task[0]);
        })
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertEquals("[es] The house is red.\n", result.bodyAsString(), "a clearly marked pseudo-translation");
          test.completeNow();
        })));
  }
}
