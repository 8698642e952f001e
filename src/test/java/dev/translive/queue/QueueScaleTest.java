package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** queue_update stays small however long the queue is, yet every client can place its own task. */
@ExtendWith(VertxExtension.class)
class QueueScaleTest {
  @TempDir Path dataDir;

  @Test
  void queueUpdateCarriesTheHeadAndRangesFromWhichClientsComputeTheirPosition(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 60_000, "engines.demo.batchSize", 1))
        .await(20, TimeUnit.SECONDS);
    List<Future<JsonObject>> submits = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      submits.add(vertx.eventBus().<JsonObject>request("translive.tasks.submit", Buffer.buffer("Task " + i + "."),
          new DeliveryOptions().addHeader("filename", "task-number-" + i + ".txt")).map(m -> m.body()));
    }
    Future.all(submits).await(60, TimeUnit.SECONDS);
    // Submits run concurrently, so queue numbers follow completion order: sort by them.
    List<JsonObject> tasks = submits.stream().map(Future::result)
        .sorted(java.util.Comparator.comparingLong(t -> t.getLong("queue_no"))).toList();
    // Cancel a few in the middle so the queue numbers are no longer one run.
    for (int i : new int[] {100, 101, 250}) {
      vertx.eventBus().request("translive.tasks.cancel", new JsonObject().put("task_id", tasks.get(i).getString("task_id"))
          .put("token", tasks.get(i).getString("token"))).await(5, TimeUnit.SECONDS);
    }
    BridgeClient client = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    // queue_update is coalesced, so the one reflecting the cancellations may follow an earlier one
    // (which, mid-submission, can even have the same length): wait for the one with their gaps.
    Frame frame = client.await(f -> "queue_update".equals(f.type())
        && f.body().getJsonObject("data").getInteger("queue_length") == 396
        && f.body().getJsonObject("data").getJsonArray("queue_no_ranges").size() == 3).await(5, TimeUnit.SECONDS);
    int bytes = frame.json().encode().length();
    JsonObject data = frame.body().getJsonObject("data");
    assertEquals(396, data.getInteger("queue_length"));
    assertEquals(20, data.getJsonArray("queued").size(), "only the head is listed");
    assertTrue(bytes <= 4096, "queue_update is " + bytes + " bytes");
    assertTrue(data.getBoolean("queue_no_ranges_complete"));
    JsonArray ranges = data.getJsonArray("queue_no_ranges");
    assertEquals(3, ranges.size(), ranges.encode());

    for (int i : new int[] {5, 150, 300, 399}) {
      JsonObject task = tasks.get(i);
      long mine = task.getLong("queue_no");
      long ahead = 0;
      for (Object r : ranges) {
        JsonArray range = (JsonArray) r;
        ahead += Math.max(0, Math.min(range.getLong(1), mine - 1) - range.getLong(0) + 1);
      }
      int expected = server.task(task.getString("task_id")).await(5, TimeUnit.SECONDS).getInteger("position");
      assertEquals(expected, ahead + 1, "position of task " + i + " from the ranges");
    }
    assertFalse(frame.json().encode().contains(server.task(tasks.get(399).getString("task_id")).await(5, TimeUnit.SECONDS)
        .getString("filename")), "the tail is not listed by name");
    assertTrue(data.getDouble("tail_seconds_per_task") > 0);
    client.close();
    server.stop().await(10, TimeUnit.SECONDS);
  }
}
