package dev.translive.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Durable state: tasks and their transitions, history, the translation memory and files. Every
 * call is asynchronous and runs off the event loop. The queue owner's writes (the calls taking an
 * epoch, and {@link #claimOwnership}) apply in the order they were made, so fire-and-forget status
 * updates cannot overtake each other; other calls may run concurrently (PostgreSQL uses a pool).
 *
 * <p>Fencing: there is one queue owner at a time, identified by an epoch in the store. A new owner
 * claims a higher epoch; every queue-owner write carries its writer's epoch and is refused with
 * {@link FencedException}, changing nothing, once a higher epoch has been claimed.
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

  /**
   * Whether several nodes share this store: then uploads and results live in it too, since the
   * node that received an upload shares no disk with the node that translates it.
   */
  default boolean sharedAcrossNodes() {
    return false;
  }

  /** Applies pending migrations (db/migration/V*.sql). */
  Future<Void> migrate();

  /**
   * Sets the owner epoch to {@code epoch} if that is higher than the current one, atomically; returns
   * the epoch now in the store. The caller owns the queue if that equals {@code epoch}, which is only
   * unambiguous if no other claimant can pick the same epoch; {@link #claimNextOwnership} cannot tie.
   */
  Future<Long> claimOwnership(long epoch);

  /** Takes over the queue with a new epoch, one higher than any claimed before; returns it. */
  Future<Long> claimNextOwnership();

  /** Records an accepted task; once this succeeds the task survives a crash. Fenced by {@code epoch}. */
  Future<Void> insertTask(StoredTask task, long epoch);

  /** Records a status change and its transition. Fenced by {@code epoch}. */
  Future<Void> updateTask(String taskId, String status, String stage, double progress, String error, String message,
      Long startedAt, Long finishedAt, long epoch);

  /** Queued and running tasks in queue order. */
  Future<List<StoredTask>> unfinishedTasks();

  /** The task's row, or null when there is none (never stored, or removed by the retention sweep). */
  Future<StoredTask> task(String taskId);

  /** The highest queue number of any stored task, 0 when there is none: numbers continue above it. */
  Future<Long> highestQueueNo();

  /** The most recent finished tasks, oldest first. */
  Future<List<StoredTask>> recentFinishedTasks(int limit);

  /** Deletes finished tasks that ended before {@code finishedBefore} (epoch ms); returns them. Fenced by {@code epoch}. */
  Future<List<StoredTask>> deleteFinishedBefore(long finishedBefore, long epoch);

  /** Records a finished task's history entry, keeping the {@code keep} newest. Fenced by {@code epoch}. */
  Future<Void> addHistory(String taskId, long finishedAt, JsonObject entry, int keep, long epoch);

  /** Newest first. */
  Future<JsonArray> history(int limit);

  /**
   * The remembered translations of {@code segments}, keyed by segment; absent ones are not in the
   * map. {@code taskId} (may be null) becomes a source of those found: they stay while it does.
   */
  Future<Map<String, String>> recall(TranslationKey key, String taskId, List<String> segments);

  default Future<Map<String, String>> recall(TranslationKey key, List<String> segments) {
    return recall(key, null, segments);
  }

  /**
   * Remembers translations (segment to translation) learned for {@code taskId} (may be null),
   * evicting the least recently used beyond the bounds. An entry is forgotten when the retention
   * sweep removes the last task it came from or served.
   */
  Future<Void> remember(TranslationKey key, String taskId, Map<String, String> translations);

  default Future<Void> remember(TranslationKey key, Map<String, String> translations) {
    return remember(key, null, translations);
  }

  /** Number of remembered translations. */
  Future<Long> memorySize();

  /**
   * Stores a file (an upload or a result) under {@code key}, replacing any file there. The content is
   * held in memory whole; uploads are bounded by {@code upload.maxBytes} (50 MB by default) before
   * they get here.
   */
  Future<Void> putFile(String key, Buffer content);

  /** The file under {@code key}; fails with {@link java.nio.file.NoSuchFileException} when there is none. */
  Future<Buffer> getFile(String key);

  /** Deletes the file under {@code key}; deleting an absent file succeeds. */
  Future<Void> deleteFile(String key);

  Future<Void> close();

  /**
   * What a remembered translation depends on, besides the segment itself. {@code scope} is whose
   * memory it is: the submitter's (the default), so nobody learns from what is remembered which
   * sentences someone else translated; or "" when the memory is shared ({@code memory.scope}).
   */
  record TranslationKey(String engine, String model, String sourceLang, String targetLang, String scope) {

    /** The key a task of {@code submitter} reads and writes; bus submitters are named as at the edge. */
    public static TranslationKey of(String engine, String model, String sourceLang, String targetLang, String submitter,
        boolean shared) {
      String who = submitter == null ? "" : submitter;
      // An estimate asked through the bus for an HTTP client carries the edge's name of it.
      if (who.startsWith(dev.translive.bus.TaskSpec.UNNAMED_SERVICE + ":")) {
        who = who.substring(dev.translive.bus.TaskSpec.UNNAMED_SERVICE.length() + 1);
      }
      return new TranslationKey(engine, model, sourceLang, targetLang, shared ? "" : who);
    }

    /**
     * This key for a task with a glossary of hash {@code glossaryHash} ("" for none): the hash is
     * folded into the scope, so a translation made with one glossary is never served to another.
     */
    public TranslationKey withGlossary(String glossaryHash) {
      return glossaryHash == null || glossaryHash.isEmpty() ? this
          : new TranslationKey(engine, model, sourceLang, targetLang, scope + "|glossary:" + glossaryHash);
    }

    /** The memory's primary key for {@code segment}: a hash of engine, model, languages, scope and the segment. */
    public String hash(String segment) {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String part : List.of(engine, model, sourceLang, targetLang, scope, segment)) {
          digest.update(part.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
