package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.Servers;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cancel, tokens, positions and waits, through the real HTTP API. */
// Waits end at the awaited event; the limit only stops a test whose event never comes (loaded CI).
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class QueueBehaviourTest {
  /** 200 ms a segment, one segment per batch: a 20-segment task runs ~4 s. */
  private static final Map<String, Object> SLOW = Map.of("engines.demo.delayMs", 200, "engines.demo.batchSize", 1);

  @RegisterExtension final Servers servers = new Servers();
  private TestServer server;
  private BridgeClient watcher;

  private Future<Void> serverAndWatcher(Vertx vertx, Map<String, Object> overrides) {
    return servers.startWatched(vertx, overrides).map(w -> {
      server = w.server();
      watcher = w.watcher();
      return null;
    });
  }

  @Test
  void cancelledQueuedTaskNeverStarts(Vertx vertx, VertxTestContext test) {
    serverAndWatcher(vertx, SLOW)
        .compose(v -> server.submitText("first.txt", TestServer.sentences(10)))
        .compose(first -> server.submitText("second.txt", TestServer.sentences(10)))
        .compose(second -> {
          test.verify(() -> assertEquals(1, second.getInteger("position")));
          String id = second.getString("task_id");
          return server.cancel(second)
              .map(cancel -> {
                assertEquals(200, cancel.statusCode());
                assertEquals("cancelled", cancel.bodyAsJsonObject().getString("status"));
                return id;
              });
        })
        // A task submitted after the cancel runs after where the cancelled one stood: once it has
        // finished, the cancelled one had every chance to start and must not have.
        .compose(cancelledId -> server.submitText("marker.txt", "Marker.")
            .compose(marker -> watcher.await(BridgeClient.completedOf(marker.getString("task_id"))))
            .compose(markerDone -> {
              assertFalse(watcher.anyBefore(markerDone, BridgeClient.startedOf(cancelledId)), "a cancelled queued task never starts");
              return watcher.await(BridgeClient.completedOf(cancelledId));
            })
            .compose(end -> {
              assertEquals("cancelled", end.body().getJsonObject("data").getString("status"));
              return server.task(cancelledId);
            }))
        .onComplete(test.succeeding(task -> test.verify(() -> {
          assertEquals("cancelled", task.getString("status"));
          test.completeNow();
        })));
  }

  @Test
  void cancelledRunningTaskStopsAndTheQueueMovesOn(Vertx vertx, VertxTestContext test) {
    JsonObject[] tasks = new JsonObject[2];
    serverAndWatcher(vertx, SLOW)
        .compose(v -> server.submitText("long.txt", TestServer.sentences(100)))
        .compose(running -> server.submitText("next.txt", TestServer.sentences(2)).map(next -> {
          tasks[0] = running;
          tasks[1] = next;
          return running.getString("task_id");
        }))
        .compose(runningId -> watcher.await(f -> BridgeClient.progressOf(runningId).test(f)
            && f.body().getJsonObject("data").getInteger("completed_segments") >= 2))
        .compose(v -> server.cancel(tasks[0]))
        .compose(cancel -> {
          assertEquals(200, cancel.statusCode());
          return watcher.await(BridgeClient.completedOf(tasks[0].getString("task_id")));
        })
        .compose(end -> {
          JsonObject endData = end.body().getJsonObject("data");
          assertEquals("cancelled", endData.getString("status"));
          assertFalse(endData.getBoolean("success"));
          // The queue moves on to the next task.
          return watcher.await(BridgeClient.completedOf(tasks[1].getString("task_id")));
        })
        .compose(nextDone -> {
          assertEquals("completed", nextDone.body().getJsonObject("data").getString("status"));
          String runningId = tasks[0].getString("task_id");
          // Nothing of the cancelled task after its end, up to the next task's completion.
          List<Frame> frames = watcher.ofTaskBefore(runningId, nextDone);
          assertEquals("task_completed", frames.get(frames.size() - 1).type(), "no progress after the end");
          return server.task(runningId);
        })
        .onComplete(test.succeeding(task -> test.verify(() -> {
          assertEquals("cancelled", task.getString("status"));
          assertTrue(task.getInteger("completed_segments") < 100, "engine work was abandoned");
          test.completeNow();
        })));
  }

  @Test
  void onlyTheTokenHolderCancelsOrDownloadsAndTokensAreNeverBroadcast(Vertx vertx, VertxTestContext test) {
    JsonObject[] holder = new JsonObject[1];
    serverAndWatcher(vertx, Map.of("engines.demo.delayMs", 100, "engines.demo.batchSize", 1))
        .compose(v -> server.submitText("secret.txt", TestServer.sentences(10)))
        .compose(task -> {
          holder[0] = task;
          assertTrue(task.getString("token").length() >= 22, "at least 128 bits of token");
          return server.http.delete("/api/tasks/" + task.getString("task_id")).send();
        })
        .compose(noToken -> {
          assertEquals(403, noToken.statusCode());
          return server.cancel(holder[0].copy().put("token", holder[0].getString("token") + "x"));
        })
        .compose(wrong -> {
          assertEquals(403, wrong.statusCode());
          assertEquals("forbidden", wrong.bodyAsJsonObject().getString("error"));
          return server.result(holder[0]);
        })
        .compose(early -> {
          assertEquals(409, early.statusCode(), "no result before completion");
          return server.cancel(holder[0].copy().put("task_id", "t-nope"));
        })
        .compose(unknown -> {
          assertEquals(404, unknown.statusCode());
          return watcher.await(BridgeClient.completedOf(holder[0].getString("task_id")));
        })
        .compose(done -> server.http.get("/api/tasks/" + holder[0].getString("task_id") + "/result?token=guess").send())
        .compose(stolen -> {
          assertEquals(403, stolen.statusCode());
          return server.http.get("/api/tasks/" + holder[0].getString("task_id") + "/result?token=" + holder[0].getString("token")).send();
        })
        .compose(result -> {
          assertEquals(200, result.statusCode());
          assertTrue(result.getHeader("Content-Disposition").contains("secret.es.txt"));
          assertTrue(result.bodyAsString().contains("[es] Sentence number 1 is here."));
          return server.cancel(holder[0]);
        })
        .compose(late -> {
          assertEquals(409, late.statusCode(), "cancelling a finished task conflicts");
          return server.task(holder[0].getString("task_id"));
        })
        .onComplete(test.succeeding(status -> test.verify(() -> {
          String token = holder[0].getString("token");
          for (Frame f : watcher.frames) {
            assertFalse(f.json().encode().contains(token), "token in a broadcast message");
          }
          assertFalse(status.encode().contains(token), "token in the task status");
          test.completeNow();
        })));
  }

  @Test
  void threeTasksGetPositionsAndWaitsThatAddUp(Vertx vertx, VertxTestContext test) {
    JsonObject[] abc = new JsonObject[3];
    serverAndWatcher(vertx, SLOW)
        .compose(v -> server.submitText("a.txt", TestServer.sentences(20)).map(t -> abc[0] = t))
        .compose(v -> server.submitText("b.txt", TestServer.sentences(10)).map(t -> abc[1] = t))
        .compose(v -> server.submitText("c.txt", TestServer.sentences(5)).map(t -> abc[2] = t))
        .compose(v -> {
          assertEquals(0, abc[0].getInteger("position"));
          assertEquals(1, abc[1].getInteger("position"));
          assertEquals(2, abc[2].getInteger("position"));
          return watcher.await(f -> "queue_update".equals(f.type())
              && f.body().getJsonObject("data").getInteger("queue_length") == 2);
        })
        .compose(update -> {
          JsonArray queued = update.body().getJsonObject("data").getJsonArray("queued");
          assertEquals(abc[1].getString("task_id"), queued.getJsonObject(0).getString("task_id"));
          assertEquals(1, queued.getJsonObject(0).getInteger("position"));
          assertEquals("c.txt", queued.getJsonObject(1).getString("filename"));
          assertEquals(2, queued.getJsonObject(1).getInteger("position"));
          double waitB = queued.getJsonObject(0).getDouble("wait_seconds");
          double waitC = queued.getJsonObject(1).getDouble("wait_seconds");
          // Estimates from the demo's nominal pace (0.2 s a segment), not measured times: B waits
          // for A's 20 segments, C also for B's 10.
          assertEquals(4.0, waitB, 1.0);
          assertEquals(waitB + 2.0, waitC, 0.3);
          return Future.all(server.task(abc[2].getString("task_id")), server.task(abc[0].getString("task_id")))
              .map(all -> {
                JsonObject cStatus = all.resultAt(0);
                assertEquals(2, cStatus.getInteger("position"));
                assertEquals("queued", cStatus.getString("status"));
                assertEquals(waitC, cStatus.getDouble("wait_seconds"), 1.0);
                return (JsonObject) all.resultAt(1);
              });
        })
        .onComplete(test.succeeding(aStatus -> test.verify(() -> {
          assertEquals("running", aStatus.getString("status"));
          assertEquals(0, aStatus.getInteger("position"));
          assertNull(aStatus.getValue("error"));
          test.completeNow();
        })));
  }

  @Test
  void aFullQueueAnswers503AndLosesNothingElse(Vertx vertx, VertxTestContext test) {
    JsonObject[] accepted = new JsonObject[2];
    Map<String, Object> config = Map.of("engines.demo.delayMs", 200, "engines.demo.batchSize", 1, "queue.maxQueued", 1);
    serverAndWatcher(vertx, config)
        .compose(v -> server.submitText("run.txt", TestServer.sentences(5)).map(t -> accepted[0] = t))
        .compose(v -> server.submitText("wait.txt", TestServer.sentences(2)).map(t -> accepted[1] = t))
        .compose(v -> server.submit("over.txt", "Too many.", Map.of()))
        .compose(refused -> {
          assertEquals(503, refused.statusCode());
          assertEquals("queue_full", refused.bodyAsJsonObject().getString("error"));
          return Future.all(watcher.await(BridgeClient.completedOf(accepted[0].getString("task_id"))),
              watcher.await(BridgeClient.completedOf(accepted[1].getString("task_id"))));
        })
        .onComplete(test.succeeding(ends -> test.verify(() -> {
          for (int i = 0; i < 2; i++) {
            Frame end = ends.resultAt(i);
            assertEquals("completed", end.body().getJsonObject("data").getString("status"));
          }
          test.completeNow();
        })));
  }
}
