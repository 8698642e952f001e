package dev.translive.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Durable state: tasks and their transitions, history, and the translation memory. Every call is
 * asynchronous and runs off the event loop; calls complete in the order they were made.
 */
public interface Store {

  /** A task row as stored. */
  record StoredTask(
      String taskId,
      long queueNo,
      String tokenHash,
      JsonObject spec,
      String status,
      String stage,
      double progress,
      String error,
      String message,
      long createdAt,
      Long startedAt,
      Long finishedAt) {}

  /** Applies pending migrations (db/migration/V*.sql). */
  Future<Void> migrate();

  /** Records an accepted task; once this succeeds the task survives a crash. */
  Future<Void> insertTask(StoredTask task);

  /** Records a status change and its transition. */
  Future<Void> updateTask(String taskId, String status, String stage, double progress, String error, String message,
      Long startedAt, Long finishedAt);

  /** Queued and running tasks in queue order. */
  Future<List<StoredTask>> unfinishedTasks();

  /** The most recent finished tasks, oldest first. */
  Future<List<StoredTask>> recentFinishedTasks(int limit);

  /** Deletes finished tasks that ended before {@code finishedBefore} (epoch ms); returns them. */
  Future<List<StoredTask>> deleteFinishedBefore(long finishedBefore);

  Future<Void> addHistory(String taskId, long finishedAt, JsonObject entry, int keep);

  /** Newest first. */
  Future<JsonArray> history(int limit);

  /** The remembered translations of {@code segments}, keyed by segment; absent ones are not in the map. */
  Future<Map<String, String>> recall(TranslationKey key, List<String> segments);

  /** Remembers translations (segment to translation), evicting the least recently used beyond the bound. */
  Future<Void> remember(TranslationKey key, Map<String, String> translations);

  /** Number of remembered translations. */
  Future<Long> memorySize();

  Future<Void> close();

  /** What a remembered translation depends on, besides the segment itself. */
  record TranslationKey(String engine, String model, String sourceLang, String targetLang) {}
}
