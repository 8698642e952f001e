package dev.translive.queue;

import dev.translive.bus.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The last {@code maxTasks} finished tasks and what they teach about pace: seconds per character by
 * engine, language pair and format, used for queue waits and early ETAs. Owned by QueueVerticle; persisted by {@link HistoryFile}.
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

  /**
   * Seconds per character of the recent completed tasks most like {@code spec}: same engine,
   * language pair and format if there are any, else same engine and pair, else same engine; null
   * without such history. Characters, not segments: a segment's time grows with its length.
   */
  Double secondsPerCharacter(TaskSpec spec) {
    Double exact = pace(e -> sameEngineAndPair(e, spec) && spec.format().equals(e.getString("format")));
    if (exact != null) {
      return exact;
    }
    Double pair = pace(e -> sameEngineAndPair(e, spec));
    return pair != null ? pair : pace(e -> spec.engine().equals(e.getString("engine")));
  }

  private static boolean sameEngineAndPair(JsonObject e, TaskSpec spec) {
    return spec.engine().equals(e.getString("engine")) && spec.sourceLang().equals(e.getString("source_lang"))
        && spec.targetLang().equals(e.getString("target_lang"));
  }

  private Double pace(java.util.function.Predicate<JsonObject> like) {
    double seconds = 0;
    long characters = 0;
    int used = 0;
    for (Iterator<JsonObject> it = entries.iterator(); it.hasNext() && used < PACE_WINDOW; ) {
      JsonObject e = it.next();
      long translated = e.getLong("translated_characters", 0L);
      if ("completed".equals(e.getString("status")) && translated > 0 && like.test(e)) {
        // The throughput, not the wall time: a pipeline's start and drain happen once per task, not per character.
        double throughput = e.getDouble("throughput_seconds", 0.0);
        seconds += throughput > 0 ? throughput : e.getDouble("translate_seconds", 0.0);
        characters += translated;
        used++;
      }
    }
    return characters == 0 || seconds <= 0 ? null : seconds / characters;
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
