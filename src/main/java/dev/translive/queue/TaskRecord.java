package dev.translive.queue;

import dev.translive.progress.Stage;
import io.vertx.core.json.JsonObject;

/** One task as the queue owner knows it. Mutated only by QueueVerticle. */
final class TaskRecord {
  final TaskSpec spec;
  final byte[] tokenHash;
  final long createdAt;
  final long number;
  Stage stage = Stage.QUEUED;
  double progress;
  int completedSegments;
  int uniqueSegments;
  int cachedSegments;
  Double etaSeconds;
  Long startedAt;
  Long finishedAt;
  String error;
  String message;
  boolean cancelRequested;
  /** Recovered after a crash while it was running: it starts again and reuses what was translated. */
  boolean resumed;
  /** The translator running it, and when a heartbeat last said so. */
  String translator;
  long lastSeen;
  long progressSavedAt;

  TaskRecord(TaskSpec spec, byte[] tokenHash, long createdAt, long number) {
    this.spec = spec;
    this.tokenHash = tokenHash;
    this.createdAt = createdAt;
    this.number = number;
  }

  String id() {
    return spec.taskId();
  }

  String status() {
    return switch (stage) {
      case QUEUED -> "queued";
      case COMPLETED, FAILED, CANCELLED -> stage.wire();
      default -> "running";
    };
  }

  boolean finished() {
    return stage.terminal();
  }

  boolean running() {
    return !finished() && stage != Stage.QUEUED;
  }

  /** The task as GET /api/tasks/{id} shows it; never includes the token. */
  JsonObject toJson(Integer position, Double waitSeconds) {
    return new JsonObject()
        .put("task_id", id())
        .put("filename", spec.filename())
        .put("status", status())
        .put("stage", stage.wire())
        .put("progress", progress)
        .put("position", position)
        .put("queue_no", number)
        .put("eta_seconds", etaSeconds)
        .put("wait_seconds", waitSeconds)
        .put("total_segments", spec.totalSegments())
        .put("completed_segments", completedSegments)
        .put("unique_segments", uniqueSegments)
        .put("cached_segments", cachedSegments)
        .put("source_lang", spec.sourceLang())
        .put("target_lang", spec.targetLang())
        .put("engine", spec.engine())
        .put("bilingual", spec.bilingual())
        .put("result_filename", spec.resultFilename())
        .put("created_at", seconds(createdAt))
        .put("started_at", startedAt == null ? null : seconds(startedAt))
        .put("finished_at", finishedAt == null ? null : seconds(finishedAt))
        .put("error", error);
  }

  static double seconds(long millis) {
    return millis / 1000.0;
  }
}
