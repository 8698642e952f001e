package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.Servers;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Other services submit, follow and cancel tasks over the event bus, as CONTRACT.md says. */
// Waits end at the awaited event; the limit only stops a test whose event never comes (loaded CI).
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class BusApiTest {
  @RegisterExtension final Servers servers = new Servers();
  private TestServer server;
  private BridgeClient watcher;

  private static DeliveryOptions headers(String filename) {
    return new DeliveryOptions().addHeader("filename", filename).addHeader("source_lang", "en").addHeader("target_lang", "es");
  }

  private Future<Void> serverAndWatcher(Vertx vertx, Map<String, Object> overrides) {
    return servers.startWatched(vertx, overrides).map(w -> {
      server = w.server();
      watcher = w.watcher();
      return null;
    });
  }

  @Test
  void aServiceSubmitsFollowsAndDownloadsOverTheBus(Vertx vertx, VertxTestContext test) {
    JsonObject[] submitted = new JsonObject[1];
    serverAndWatcher(vertx, Map.of())
        .compose(v -> vertx.eventBus().<JsonObject>request("translive.tasks.submit",
            Buffer.buffer("Hello from a service.\nSecond line.\n"), headers("service.txt")))
        .compose(reply -> {
          JsonObject body = submitted[0] = reply.body();
          assertTrue(body.getString("task_id").startsWith("t-"));
          assertTrue(body.getString("token").length() >= 22);
          assertEquals(0, body.getInteger("position"));
          return watcher.await(BridgeClient.completedOf(body.getString("task_id")));
        })
        .compose(done -> vertx.eventBus().<JsonObject>request("translive.tasks.get",
            new JsonObject().put("task_id", submitted[0].getString("task_id"))))
        .compose(task -> {
          assertEquals("completed", task.body().getString("status"));
          assertEquals("service.txt", task.body().getString("filename"));
          assertEquals(2, task.body().getInteger("total_segments"));
          return server.result(submitted[0]);
        })
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertEquals("[es] Hello from a service.\n[es] Second line.\n", result.bodyAsString());
          test.completeNow();
        })));
  }

  @Test
  void busFailuresAreReplyExceptionsWithTheContractCodes(Vertx vertx, VertxTestContext test) {
    JsonObject[] submitted = new JsonObject[1];
    serverAndWatcher(vertx, Map.of("engines.demo.delayMs", 300, "engines.demo.batchSize", 1))
        .compose(v -> failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer("x"), headers("virus.exe")), 415))
        .compose(v -> failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer("x"), new DeliveryOptions()), 400))
        .compose(v -> failureCode(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer(""), headers("empty.txt")), 400))
        .compose(v -> failureCode(vertx.eventBus().request("translive.tasks.get", new JsonObject().put("task_id", "t-none")), 404))
        .compose(v -> vertx.eventBus().<JsonObject>request("translive.tasks.submit",
            Buffer.buffer(TestServer.sentences(10)), headers("long.txt")))
        .compose(reply -> failureCode(vertx.eventBus().request("translive.tasks.cancel",
            new JsonObject().put("task_id", (submitted[0] = reply.body()).getString("task_id")).put("token", "wrong")), 403))
        .compose(v -> vertx.eventBus().<JsonObject>request("translive.tasks.cancel", new JsonObject()
            .put("task_id", submitted[0].getString("task_id")).put("token", submitted[0].getString("token"))))
        .compose(cancelled -> {
          assertEquals(submitted[0].getString("task_id"), cancelled.body().getString("task_id"));
          return watcher.await(BridgeClient.completedOf(submitted[0].getString("task_id")));
        })
        .onComplete(test.succeeding(end -> test.verify(() -> {
          assertEquals("cancelled", end.body().getJsonObject("data").getString("status"));
          test.completeNow();
        })));
  }

  /** Succeeds when {@code request} failed with a ReplyException of {@code code} that carries a message. */
  private static Future<Void> failureCode(Future<? extends Message<?>> request, int code) {
    return request.<Void>transform(ar -> {
      if (ar.succeeded()) {
        return Future.failedFuture(new AssertionError("request succeeded, expected a failure " + code));
      }
      assertInstanceOf(ReplyException.class, ar.cause());
      ReplyException re = (ReplyException) ar.cause();
      assertTrue(re.getMessage() != null && !re.getMessage().isBlank(), "failures carry a message");
      assertEquals(code, re.failureCode(), re.getMessage());
      return Future.succeededFuture();
    });
  }
}
