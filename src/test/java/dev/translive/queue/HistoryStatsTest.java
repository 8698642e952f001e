package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HistoryStatsTest {
  private static JsonObject finished(String status) {
    return new JsonObject().put("status", status).put("duration_seconds", 10.0).put("total_segments", 5);
  }

  @Test
  void cancelledTasksAreCountedApartAndNotAsFailures() {
    History history = new History(100);
    history.add(finished("completed"));
    history.add(finished("completed"));
    history.add(finished("failed"));
    history.add(finished("cancelled"));
    history.add(finished("cancelled"));
    JsonObject stats = history.json().getJsonObject("stats");
    assertEquals(5, stats.getInteger("count"));
    assertEquals(2, stats.getLong("completed"));
    assertEquals(1, stats.getLong("failed"));
    assertEquals(2, stats.getLong("cancelled"));
    assertEquals(2.0 / 3.0, stats.getDouble("success_rate"), 1e-9);
  }

  @Test
  void onlyCancelledTasksGiveNoSuccessRate() {
    History history = new History(100);
    history.add(finished("cancelled"));
    assertNull(history.json().getJsonObject("stats").getValue("success_rate"));
  }
}
