package dev.translive.progress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds every message of the public contract (CONTRACT.md), so the wire shapes live in one place.
 * Numbers are rounded where the contract promises human-scale values (seconds, fractions).
 */
public final class Messages {
  private Messages() {}

  public static final String PROGRESS_UPDATE = "progress_update";
  public static final String TASK_STARTED = "task_started";
  public static final String TASK_COMPLETED = "task_completed";
  public static final String QUEUE_UPDATE = "queue_update";

  /** {@code resumed} is true when the task restarts after a crash or restart of the service. */
  public static JsonObject taskStarted(long seq, String taskId, String filename, int totalSegments, boolean resumed) {
    return envelope(TASK_STARTED, taskId, seq,
        new JsonObject().put("filename", filename).put("total_segments", totalSegments).put("resumed", resumed));
  }

  /** The running state of one task; extra keys beyond the contract are additive. */
  public record Progress(
      String filename,
      double progress,
      Stage stage,
      String stageDescription,
      Double etaSeconds,
      int completedSegments,
      int totalSegments,
      int uniqueSegments,
      int cachedSegments,
      int toTranslateSegments) {}

  public static JsonObject progressUpdate(long seq, String taskId, Progress p) {
    JsonObject data = new JsonObject()
        .put("filename", p.filename())
        .put("progress", round(p.progress(), 4))
        .put("stage", p.stage().wire())
        .put("stage_description", p.stageDescription())
        .put("eta_seconds", p.etaSeconds() == null ? null : round(p.etaSeconds(), 1))
        .put("completed_segments", p.completedSegments())
        .put("total_segments", p.totalSegments())
        .put("unique_segments", p.uniqueSegments())
        .put("cached_segments", p.cachedSegments())
        .put("to_translate_segments", p.toTranslateSegments());
    return envelope(PROGRESS_UPDATE, taskId, seq, data);
  }

  public static JsonObject taskCompleted(
      long seq, String taskId, String filename, Stage finalStage, String message, double durationSeconds) {
    JsonObject data = new JsonObject()
        .put("filename", filename)
        .put("success", finalStage == Stage.COMPLETED)
        .put("status", finalStage.wire())
        .put("message", message)
        .put("duration_seconds", round(durationSeconds, 2));
    return envelope(TASK_COMPLETED, taskId, seq, data);
  }

  /**
   * The queue view. {@code queued} is only the head of the queue, so the message does not grow with
   * the queue; {@code queueNoRanges} lists the queue numbers of every queued task as ascending
   * inclusive ranges, from which a client computes the position of its own task beyond the head
   * (count the numbers below its own), and {@code tailSecondsPerTask} estimates its wait.
   */
  public static JsonObject queueUpdate(long seq, JsonArray running, JsonArray queued, int queueLength, int concurrency,
      JsonArray queueNoRanges, boolean rangesComplete, double tailSecondsPerTask) {
    JsonObject data = new JsonObject()
        .put("running", running)
        .put("queued", queued)
        .put("queue_length", queueLength)
        .put("concurrency", concurrency)
        .put("queue_no_ranges", queueNoRanges)
        .put("queue_no_ranges_complete", rangesComplete)
        .put("tail_seconds_per_task", round(tailSecondsPerTask, 1));
    return new JsonObject().put("type", QUEUE_UPDATE).put("seq", seq).put("data", data);
  }

  public static JsonObject runningEntry(String taskId, String filename, double progress, Double etaSeconds, Stage stage) {
    return new JsonObject()
        .put("task_id", taskId)
        .put("filename", filename)
        .put("progress", round(progress, 4))
        .put("eta_seconds", etaSeconds == null ? null : round(etaSeconds, 1))
        .put("stage", stage.wire());
  }

  public static JsonObject queuedEntry(String taskId, String filename, int position, double waitSeconds, long queueNo) {
    return new JsonObject()
        .put("task_id", taskId)
        .put("filename", filename)
        .put("position", position)
        .put("queue_no", queueNo)
        .put("wait_seconds", round(waitSeconds, 1));
  }

  /** The body of GET /api/queue and of the translive.snapshot reply. */
  public static JsonObject snapshot(JsonObject queueUpdate, JsonArray latestProgress) {
    return new JsonObject().put("queue", queueUpdate).put("progress", latestProgress);
  }

  public static String type(JsonObject message) {
    return message.getString("type");
  }

  public static String taskId(JsonObject message) {
    return message.getString("task_id");
  }

  private static JsonObject envelope(String type, String taskId, long seq, JsonObject data) {
    return new JsonObject().put("type", type).put("task_id", taskId).put("seq", seq).put("data", data);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
