package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.Servers;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** queue_update stays small however long the queue is, yet every client can place its own task. */
@ExtendWith(VertxExtension.class)
class QueueScaleTest {
  private static final int[] SAMPLED = {5, 150, 300, 399};
  @RegisterExtension final Servers servers = new Servers();
  private TestServer server;
  private List<JsonObject> tasks;

  @Test
  @Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
  void queueUpdateCarriesTheHeadAndRangesFromWhichClientsComputeTheirPosition(Vertx vertx, VertxTestContext test) {
    servers.start(vertx, Map.of("engines.demo.delayMs", 60_000, "engines.demo.batchSize", 1))
        .compose(s -> {
          server = s;
          List<Future<JsonObject>> submits = new ArrayList<>();
          for (int i = 0; i < 400; i++) {
            submits.add(vertx.eventBus().<JsonObject>request("translive.tasks.submit", Buffer.buffer("Task " + i + "."),
                new DeliveryOptions().addHeader("filename", "task-number-" + i + ".txt")).map(Message::body));
          }
          // Submits run concurrently, so queue numbers follow completion order: sort by them.
          return Future.all(submits).map(all -> tasks = submits.stream().map(Future::result)
              .sorted(Comparator.comparingLong(t -> t.getLong("queue_no"))).toList());
        })
        // Cancel a few in the middle so the queue numbers are no longer one run.
        .compose(v -> cancel(vertx, 100).compose(x -> cancel(vertx, 101)).compose(x -> cancel(vertx, 250)))
        .compose(v -> servers.watch(vertx, server.port))
        // queue_update is coalesced, so the one reflecting the cancellations may follow an earlier one
        // (which, mid-submission, can even have the same length): wait for the one with their gaps.
        .compose(client -> client.await(f -> "queue_update".equals(f.type())
            && f.body().getJsonObject("data").getInteger("queue_length") == 396
            && f.body().getJsonObject("data").getJsonArray("queue_no_ranges").size() == 3))
        .compose(frame -> {
          List<Future<JsonObject>> sampled = new ArrayList<>();
          for (int i : SAMPLED) {
            sampled.add(server.task(tasks.get(i).getString("task_id")));
          }
          return Future.all(sampled).map(all -> {
            checkPositions(frame, all.list());
            return null;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  private Future<Message<Object>> cancel(Vertx vertx, int index) {
    JsonObject task = tasks.get(index);
    return vertx.eventBus().request("translive.tasks.cancel",
        new JsonObject().put("task_id", task.getString("task_id")).put("token", task.getString("token")));
  }

  private void checkPositions(Frame frame, List<JsonObject> statuses) {
    int bytes = frame.json().encode().length();
    JsonObject data = frame.body().getJsonObject("data");
    assertEquals(396, data.getInteger("queue_length"));
    assertEquals(20, data.getJsonArray("queued").size(), "only the head is listed");
    assertTrue(bytes <= 4096, "queue_update is " + bytes + " bytes");
    assertTrue(data.getBoolean("queue_no_ranges_complete"));
    JsonArray ranges = data.getJsonArray("queue_no_ranges");
    assertEquals(3, ranges.size(), ranges.encode());
    for (int s = 0; s < SAMPLED.length; s++) {
      long mine = tasks.get(SAMPLED[s]).getLong("queue_no");
      long ahead = 0;
      for (Object r : ranges) {
        JsonArray range = (JsonArray) r;
        ahead += Math.max(0, Math.min(range.getLong(1), mine - 1) - range.getLong(0) + 1);
      }
      assertEquals((long) statuses.get(s).getInteger("position"), ahead + 1, "position of task " + SAMPLED[s] + " from the ranges");
    }
    String tailName = statuses.get(SAMPLED.length - 1).getString("filename");
    assertFalse(frame.json().encode().contains(tailName), "the tail is not listed by name");
    assertTrue(data.getDouble("tail_seconds_per_task") > 0);
  }
}
