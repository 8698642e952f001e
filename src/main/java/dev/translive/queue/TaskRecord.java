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
  /** When {@link #etaSeconds} was reported, so waits count it down. */
  long etaSeenAt;
  /** Seconds per character the translator measures (heartbeat), or null before it has measured. */
  Double livePace;
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
  /** Its dispatch priority ({@link TaskSpec#PRIORITIES}); the operator may change it. */
  String priority;
  /** Paused by its owner: neither queued nor running, its progress kept, until resumed. */
  boolean paused;
  /** The owner asked to pause it; its translator stops at the next batch boundary. */
  boolean pauseRequested;
  /** The last progress message as published, for snapshots; opaque to the queue. */
  Object latestProgress;

  TaskRecord(TaskSpec spec, byte[] tokenHash, long createdAt, long number) {
    this.spec = spec;
    this.tokenHash = tokenHash;
    this.createdAt = createdAt;
    this.number = number;
    this.priority = spec.priority() == null ? TaskSpec.NORMAL : spec.priority();
  }

  /** 0 for high, 1 normal, 2 low. */
  int rank() {
    int rank = TaskSpec.PRIORITIES.indexOf(priority);
    return rank < 0 ? 1 : rank;
  }

  String id() {
    return spec.taskId();
  }

  String status() {
    return switch (stage) {
      case QUEUED -> paused ? "paused" : "queued";
      case COMPLETED, FAILED, CANCELLED -> stage.wire();
      default -> "running";
    };
  }

  /** The status column a store keeps: a paused task is stored as queued, so every store keeps it unfinished. */
  String storedStatus() {
    return paused ? "queued" : status();
  }

  /** The stage column a store keeps: "paused" tells the restore a queued row is paused. */
  String storedStage() {
    return paused ? QueueMachine.PAUSED : stage.wire();
  }

  boolean finished() {
    return stage.terminal();
  }

  boolean running() {
    return !finished() && stage != Stage.QUEUED;
  }
}
