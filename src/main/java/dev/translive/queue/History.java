package dev.translive.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The last {@code maxTasks} finished tasks and what they teach about pace: seconds per segment by
 * engine, used for queue waits and early ETAs. Owned by QueueVerticle; persisted by {@link HistoryFile}.
 */
final class History {
  /** Recent tasks of an engine that make its pace; older ones describe a machine that may have changed. */
  private static final int PACE_WINDOW = 20;
  private final int maxTasks;
  private final Deque<JsonObject> entries = new ArrayDeque<>();

  History(int maxTasks) {
    this.maxTasks = maxTasks;
  }

  void add(JsonObject entry) {
    entries.addFirst(entry);
    while (entries.size() > maxTasks) {
      entries.removeLast();
    }
  }

  void load(JsonArray saved) {
    for (int i = saved.size() - 1; i >= 0; i--) {
      add(saved.getJsonObject(i));
    }
  }

  /** The body of GET /api/history. */
  JsonObject json() {
    return new JsonObject().put("tasks", entries()).put("stats", stats());
  }

  JsonArray entries() {
    return new JsonArray(entries.stream().map(JsonObject::copy).toList());
  }

  /** Mean seconds per segment of the engine's recent completed tasks, or null without history. */
  Double secondsPerSegment(String engine) {
    double seconds = 0;
    long segments = 0;
    int used = 0;
    for (Iterator<JsonObject> it = entries.iterator(); it.hasNext() && used < PACE_WINDOW; ) {
      JsonObject e = it.next();
      int translated = e.getInteger("translated_segments", 0);
      if ("completed".equals(e.getString("status")) && engine.equals(e.getString("engine")) && translated > 0) {
        seconds += e.getDouble("translate_seconds", e.getDouble("duration_seconds"));
        segments += translated;
        used++;
      }
    }
    return segments == 0 ? null : seconds / segments;
  }

  JsonObject stats() {
    int count = entries.size();
    long completed = countOf("completed");
    long failed = countOf("failed");
    double totalDuration = entries.stream().mapToDouble(e -> e.getDouble("duration_seconds", 0.0)).sum();
    double completedDuration = entries.stream().filter(e -> "completed".equals(e.getString("status")))
        .mapToDouble(e -> e.getDouble("duration_seconds", 0.0)).sum();
    long completedSegments = entries.stream().filter(e -> "completed".equals(e.getString("status")))
        .mapToLong(e -> e.getInteger("total_segments", 0)).sum();
    return new JsonObject()
        .put("count", count)
        .put("completed", completed)
        .put("failed", failed)
        .put("cancelled", countOf("cancelled"))
        // A cancellation is the user's choice, not a failure: it counts in neither side of the rate.
        .put("success_rate", completed + failed == 0 ? null : (double) completed / (completed + failed))
        .put("average_duration_seconds", count == 0 ? null : totalDuration / count)
        .put("throughput_segments_per_second", completedDuration <= 0 ? null : completedSegments / completedDuration);
  }

  private long countOf(String status) {
    return entries.stream().filter(e -> status.equals(e.getString("status"))).count();
  }
}
