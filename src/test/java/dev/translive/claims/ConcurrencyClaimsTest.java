package dev.translive.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.Servers;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README: "queue.concurrency tasks translating at once", "queue waits simulate the translator slots
 * over the tasks ahead". Two slots, four tasks, through HTTP and the bridge.
 */
// Waits end at the awaited event; the limit only stops a test whose event never comes (loaded CI).
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class ConcurrencyClaimsTest {
  @RegisterExtension final Servers servers = new Servers();
  private TestServer server;
  private BridgeClient watcher;
  /** a: 20 segments, b: 40, c: 5, d: 5, submitted in that order. */
  private final List<JsonObject> tasks = new ArrayList<>();

  private String id(int i) {
    return tasks.get(i).getString("task_id");
  }

  private Future<Void> fourTasksOnTwoSlots(Vertx vertx) {
    // The per-socket cap is lifted so the watching socket does not lag behind the queue (conflation is tested elsewhere).
    return servers.startWatched(vertx, Map.of("queue.concurrency", 2, "engines.demo.delayMs", 200, "engines.demo.batchSize", 1,
            "bridge.maxMessagesPerSecond", 1000))
        .compose(w -> {
          server = w.server();
          watcher = w.watcher();
          Future<Void> chain = Future.succeededFuture();
          for (int segments : new int[] {20, 40, 5, 5}) {
            // Distinct text per task: the translation memory would otherwise finish the later ones at once.
            chain = chain.compose(v -> server.submitText("t" + tasks.size() + ".txt",
                TestServer.sentences(segments).replace("Sentence", "Task " + tasks.size() + " sentence")).map(t -> {
              tasks.add(t);
              return null;
            }));
          }
          return chain;
        });
  }

  private static JsonObject queued(Frame queueUpdate, String taskId) {
    for (Object o : queueUpdate.body().getJsonObject("data").getJsonArray("queued")) {
      JsonObject entry = (JsonObject) o;
      if (taskId.equals(entry.getString("task_id"))) {
        return entry;
      }
    }
    return null;
  }

  @Test
  void twoTasksRunAtOnceAndTheOthersWaitForTheFirstFreeSlot(Vertx vertx, VertxTestContext test) {
    fourTasksOnTwoSlots(vertx)
        .compose(v -> watcher.await(BridgeClient.startedOf(id(1))))
        .compose(v -> Future.all(server.task(id(0)), server.task(id(1)), server.task(id(2))))
        .compose(all -> {
          assertEquals("running", ((JsonObject) all.resultAt(0)).getString("status"), "a runs");
          assertEquals("running", ((JsonObject) all.resultAt(1)).getString("status"), "b runs beside a");
          assertEquals("queued", ((JsonObject) all.resultAt(2)).getString("status"), "c waits: both slots are taken");
          // c takes the first free slot (a's), beside b, which has 20 segments left then.
          return watcher.await(BridgeClient.startedOf(id(2)));
        })
        .compose(cStarted -> Future.all(server.task(id(1)), server.task(id(2))))
        .compose(bc -> {
          assertEquals("running", ((JsonObject) bc.resultAt(0)).getString("status"), "b still runs");
          assertEquals("running", ((JsonObject) bc.resultAt(1)).getString("status"), "c runs beside b");
          return Future.succeededFuture();
        })
        .compose(v -> Future.all(tasks.stream().map(t -> watcher.await(BridgeClient.completedOf(t.getString("task_id")))).toList()))
        .onComplete(test.succeeding(ends -> test.verify(() -> {
          for (int i = 0; i < 4; i++) {
            assertEquals("completed", ((Frame) ends.resultAt(i)).body().getJsonObject("data").getString("status"));
          }
          // The queue, which owns the slots, never listed more than two running tasks.
          for (Frame f : watcher.frames) {
            if ("queue_update".equals(f.type())) {
              assertTrue(running(f).size() <= 2, "more than two running: " + f.body().encode());
            }
          }
          test.completeNow();
        })));
  }

  private static List<String> running(Frame queueUpdate) {
    return queueUpdate.body().getJsonObject("data").getJsonArray("running").stream()
        .map(o -> ((JsonObject) o).getString("task_id")).toList();
  }

  @Test
  void queuedWaitsArePositiveGrowDownTheQueueAndCountDown(Vertx vertx, VertxTestContext test) {
    double[] firstWait = new double[1];
    fourTasksOnTwoSlots(vertx)
        .compose(v -> watcher.await(f -> "queue_update".equals(f.type())
            && f.body().getJsonObject("data").getJsonArray("running").size() == 2
            && queued(f, id(2)) != null && queued(f, id(3)) != null))
        .compose(update -> {
          JsonObject c = queued(update, id(2));
          JsonObject d = queued(update, id(3));
          assertEquals(1, c.getInteger("position"));
          assertEquals(2, d.getInteger("position"));
          double waitC = c.getDouble("wait_seconds");
          double waitD = d.getDouble("wait_seconds");
          assertTrue(waitC > 0, "c waits for a slot: " + c);
          // d waits for the second slot to free: b's end or c's, whichever comes first, after c's start.
          assertTrue(waitD > waitC, "d waits longer than c: " + waitD + " vs " + waitC);
          return server.task(id(2));
        })
        .compose(c -> {
          assertEquals("queued", c.getString("status"));
          firstWait[0] = c.getDouble("wait_seconds");
          assertTrue(firstWait[0] > 0, "GET /api/tasks says c waits: " + c.encode());
          // Half of a's work later, c's wait has come down.
          return watcher.await(f -> BridgeClient.progressOf(id(0)).test(f)
              && f.body().getJsonObject("data").getInteger("completed_segments") >= 12);
        })
        .compose(progressed -> server.task(id(2)))
        .compose(c -> {
          assertEquals("queued", c.getString("status"), "a has 8 segments left");
          assertTrue(c.getDouble("wait_seconds") < firstWait[0], "the wait counts down: " + c.getDouble("wait_seconds")
              + " after " + firstWait[0]);
          return watcher.await(BridgeClient.startedOf(id(2)));
        })
        .onComplete(test.succeeding(cStarted -> test.verify(() -> {
          // Over the bridge too: c's wait in the queue updates before it started went down to the slot freeing.
          List<Double> waits = watcher.framesBefore(cStarted).stream().filter(f -> "queue_update".equals(f.type()))
              .map(f -> queued(f, id(2))).filter(e -> e != null).map(e -> e.getDouble("wait_seconds")).toList();
          assertTrue(waits.size() >= 2, "several queue updates while c waited: " + waits);
          assertTrue(waits.get(0) > 0 && waits.stream().allMatch(w -> w >= 0), "waits are positive (0 as the slot frees): " + waits);
          assertTrue(waits.get(waits.size() - 1) < waits.get(0), "waits count down: " + waits);
          test.completeNow();
        })));
  }
}
