package dev.translive.queue;

import dev.translive.bus.Internal;
import dev.translive.progress.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON the queue shows: a task for GET, the reply to a submit, the queue_update broadcast and
 * a history entry, all read from the {@link QueueMachine} and never changing it.
 */
final class QueueViews {
  /** Ranges of queue numbers carried in queue_update; past this the list is cut and marked incomplete. */
  static final int MAX_QUEUE_NO_RANGES = 64;

  private final QueueMachine machine;
  private final int broadcastLimit;

  QueueViews(QueueMachine machine, int broadcastLimit) {
    this.machine = machine;
    this.broadcastLimit = broadcastLimit;
  }

  /** A task for its reference; the token decides whether the real file name shows. */
  JsonObject task(Internal.TaskRef ref) {
    return task(machine.find(ref.taskId()), ref.token());
  }

  /** What the HTTP edge needs to serve a completed task's result to its owner. */
  JsonObject authorizedResult(Internal.TaskRef ref) {
    TaskRecord task = machine.authorizeResult(ref.taskId(), ref.token());
    return new JsonObject().put("spec", task.spec.toJson()).put("filename", task.spec.resultFilename());
  }

  /** The task_completed of a task ended here, not by its translator (cancelled, or stopped as overdue). */
  JsonObject endedHere(TaskRecord task, long seq) {
    double duration = task.startedAt == null ? 0 : machine.durationSeconds(task);
    return Messages.taskCompleted(seq, task.id(), machine.displayName(task), task.stage, task.message, duration);
  }

  /** What a translator is handed. */
  Internal.Run run(TaskRecord task) {
    Double perCharacter = machine.secondsPerCharacter(task.spec);
    return new Internal.Run(task.spec, machine.pace(task), task.resumed, machine.displayName(task), task.progress,
        perCharacter == null ? 0 : perCharacter);
  }

  int queuedCount() {
    return machine.queuedCount();
  }

  int runningCount() {
    return machine.running().size();
  }

  /** The task as GET /api/tasks/{id} shows it, never with its token; others see no file name when names are hidden. */
  JsonObject task(TaskRecord task, String token) {
    return task(task, QueueMachine.ownedBy(task, token));
  }

  /** Every task the queue knows, for the operator: real names and the submitter group each belongs to. */
  JsonObject adminTasks() {
    JsonArray out = new JsonArray();
    for (TaskRecord task : machine.tasks()) {
      out.add(adminTask(task));
    }
    return new JsonObject().put("tasks", out).put("queue_paused", machine.queuePaused());
  }

  JsonObject adminTask(TaskRecord task) {
    return task(task, true).put("client", task.spec.client());
  }

  private JsonObject task(TaskRecord task, boolean owner) {
    boolean realName = machine.showFilenames() || owner;
    Integer position = machine.position(task);
    Double wait = machine.waitOf(task);
    if (position == 0) {
      position = task.running() ? 0 : null;
      wait = task.running() ? 0.0 : null;
    }
    return new JsonObject()
        .put("task_id", task.id())
        .put("filename", realName ? task.spec.filename() : machine.displayName(task))
        .put("status", task.status())
        .put("stage", task.paused ? QueueMachine.PAUSED : task.stage.wire())
        .put("priority", task.priority)
        .put("progress", task.progress)
        .put("position", position)
        .put("queue_no", task.number)
        .put("eta_seconds", task.etaSeconds)
        .put("wait_seconds", wait)
        .put("total_segments", task.spec.totalSegments())
        .put("completed_segments", task.completedSegments)
        .put("unique_segments", task.uniqueSegments)
        // Whether segments were in the shared memory tells others what someone else translated.
        .put("cached_segments", owner ? task.cachedSegments : null)
        .put("source_lang", task.spec.sourceLang())
        .put("target_lang", task.spec.targetLang())
        .put("engine", task.spec.engine())
        .put("bilingual", task.spec.bilingual())
        .put("result_filename", realName ? task.spec.resultFilename() : null)
        .put("created_at", seconds(task.createdAt))
        .put("started_at", task.startedAt == null ? null : seconds(task.startedAt))
        .put("finished_at", task.finishedAt == null ? null : seconds(task.finishedAt))
        .put("error", task.error);
  }

  /** The answer to a submit: the token appears here and nowhere else. */
  JsonObject submitted(TaskRecord task, String token) {
    return new JsonObject()
        .put("task_id", task.id())
        .put("queue_no", task.number)
        .put("token", token)
        .put("filename", task.spec.filename())
        .put("status", task.status())
        .put("position", machine.position(task));
  }

  JsonObject queueUpdate(long seq) {
    JsonArray runningJson = new JsonArray();
    for (TaskRecord r : machine.running()) {
      runningJson.add(Messages.runningEntry(r.id(), machine.displayName(r), r.progress, r.etaSeconds, r.stage));
    }
    var head = machine.queuedHead(broadcastLimit);
    double[] waits = machine.waits(head.size());
    JsonArray queuedJson = new JsonArray();
    for (int i = 0; i < head.size(); i++) {
      TaskRecord q = head.get(i);
      queuedJson.add(Messages.queuedEntry(q.id(), machine.displayName(q), i + 1, waits[i], q.number));
    }
    QueueMachine.Ranges ranges = machine.queueNoRanges(MAX_QUEUE_NO_RANGES);
    JsonArray rangesJson = new JsonArray();
    ranges.ranges().forEach(r -> rangesJson.add(new JsonArray().add(r[0]).add(r[1])));
    JsonObject update = Messages.queueUpdate(seq, runningJson, queuedJson, machine.queuedCount(), machine.concurrency(),
        rangesJson, ranges.complete(), machine.tailSecondsPerTask(broadcastLimit));
    update.getJsonObject("data").put("queue_paused", machine.queuePaused());
    return update;
  }

  /** Lifecycle on translive.progress: a task paused at a batch boundary, its progress kept. */
  JsonObject taskPaused(TaskRecord task, long seq) {
    return lifecycle(TASK_PAUSED, task, seq).put("data", new JsonObject()
        .put("filename", machine.displayName(task))
        .put("status", task.status())
        .put("progress", task.progress)
        .put("completed_segments", task.completedSegments)
        .put("total_segments", task.spec.totalSegments()));
  }

  /** Lifecycle on translive.progress: a paused task is queued again at its old place. */
  JsonObject taskResumed(TaskRecord task, long seq) {
    return lifecycle(TASK_RESUMED, task, seq).put("data", new JsonObject()
        .put("filename", machine.displayName(task))
        .put("status", task.status())
        .put("position", machine.position(task))
        .put("progress", task.progress));
  }

  static final String TASK_PAUSED = "task_paused";
  static final String TASK_RESUMED = "task_resumed";

  private static JsonObject lifecycle(String type, TaskRecord task, long seq) {
    return new JsonObject().put("type", type).put("task_id", task.id()).put("seq", seq);
  }

  /** The latest progress_update of every running task. */
  JsonArray latestProgress() {
    JsonArray out = new JsonArray();
    for (TaskRecord r : machine.running()) {
      if (r.latestProgress instanceof JsonObject message) {
        out.add(message);
      }
    }
    return out;
  }

  JsonObject historyEntry(TaskRecord task, Internal.Report report) {
    return new JsonObject()
        .put("task_id", task.id())
        .put("filename", machine.displayName(task))
        .put("engine", task.spec.engine())
        .put("source_lang", task.spec.sourceLang())
        .put("target_lang", task.spec.targetLang())
        .put("format", task.spec.format())
        .put("status", task.status())
        .put("total_segments", task.spec.totalSegments())
        .put("translated_characters", report.translatedCharacters())
        .put("throughput_seconds", report.throughputSeconds())
        .put("translated_segments", report.translatedSegments())
        .put("translate_seconds", report.translateSeconds())
        .put("duration_seconds", machine.durationSeconds(task))
        .put("finished_at", seconds(task.finishedAt));
  }

  static double seconds(long millis) {
    return millis / 1000.0;
  }
}
