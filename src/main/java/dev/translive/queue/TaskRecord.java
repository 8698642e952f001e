package dev.translive.queue;

import dev.translive.bus.TaskSpec;
import dev.translive.progress.Stage;

/** One task as the queue owner knows it. Mutated only by {@link QueueMachine}. */
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
  /** Stored, so it may start; a task whose insert is still on its way waits. */
  boolean durable;
  /** The translator running it, and when a heartbeat last said so. */
  String translator;
  long lastSeen;
  long progressSavedAt;
  /** Its place in the {@link DispatchOrder} while queued. */
  Long orderKey;
  /** The last progress message as published, for snapshots; opaque to the queue. */
  Object latestProgress;

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
}
