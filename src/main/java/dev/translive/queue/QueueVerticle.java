package dev.translive.queue;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import dev.translive.bus.TransliveException;
import dev.translive.config.AppConfig;
import dev.translive.ops.ServiceMetrics;
import dev.translive.store.FencedException;
import dev.translive.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the task queue: admission, order, positions and waits, cancellation, hand-off to
 * translators, and the {@code queue_update} broadcast. Nothing else mutates task state; every
 * other component asks over the event bus.
 */
public final class QueueVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(QueueVerticle.class);
  /** Running progress changes the queue view constantly; one update a second is enough for waits. */
  private static final long PROGRESS_BROADCAST_INTERVAL_MS = 1000;
  private static final long PROGRESS_SAVE_INTERVAL_MS = 1000;
  /** Structural changes closer together than this share one queue_update (a burst of submissions). */
  private static final long QUEUE_COALESCE_MS = 100;
  /** A translator that does not confirm a cancel in this time is presumed gone. */
  private static final long CANCEL_GRACE_MS = 3000;
  private static final long DISPATCH_RETRY_MS = 1000;
  /** A running task no translator has claimed for this long lost its translator and goes back to the queue. */
  private static final long TRANSLATOR_LOST_MS = 10_000;
  /** Finished tasks kept for status and downloads. */
  private static final int MAX_FINISHED_KEPT = 1000;
  private static final long RETENTION_CHECK_MS = 3_600_000;
  /** Ranges of queue numbers carried in queue_update; past this the list is cut and marked incomplete. */
  private static final int MAX_QUEUE_NO_RANGES = 64;

  private final AppConfig.Queue settings;
  private final long retentionMs;
  private final Store store;
  private final dev.translive.store.TaskFiles files;
  /** This owner's epoch; the store refuses its writes once another owner claims a newer one. */
  private final long ownerEpoch;
  private final Runnable steppedDown;
  private boolean fenced;
  private final TaskIntake intake;
  private final SeqClock seq;
  private final ServiceMetrics metrics;
  private final Path incomingDir;
  private final Path dataDir;
  private final boolean clustered;
  private final long maxUploadBytes;

  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final LinkedHashMap<String, TaskRecord> queued = new LinkedHashMap<>();
  private final LinkedHashMap<String, TaskRecord> running = new LinkedHashMap<>();
  private final Map<String, JsonObject> latestProgress = new LinkedHashMap<>();
  private final History history;
  private JsonObject latestQueueUpdate;
  private long taskCounter;
  private long lastQueuePublish;
  private long publishTimer = -1;
  private long publishDue;
  private boolean dispatchRetryScheduled;
  private EventBus bus;

  /** @param steppedDown called when a newer owner fenced this one off and it stopped */
  public QueueVerticle(AppConfig config, Store store, dev.translive.store.TaskFiles files, long ownerEpoch, TaskIntake intake,
      SeqClock seq, ServiceMetrics metrics, Runnable steppedDown) {
    this.files = files;
    this.steppedDown = steppedDown;
    this.metrics = metrics;
    this.settings = config.queue();
    this.retentionMs = (long) (config.retentionHours() * 3_600_000L);
    this.store = store;
    this.ownerEpoch = ownerEpoch;
    this.intake = intake;
    this.seq = seq;
    this.dataDir = config.dataDir();
    this.clustered = config.cluster().enabled();
    this.maxUploadBytes = config.upload().maxBytes();
    this.incomingDir = config.dataDir().resolve("incoming");
    this.history = new History(settings.historyMaxTasks());
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    // Cluster-wide consumers: the HTTP edge and the translators may be on other nodes.
    bus.<JsonObject>consumer(Addresses.QUEUE_ENQUEUE, msg -> replyAsync(msg, m -> enqueue(TaskSpec.fromJson(m.body()))));
    bus.<Object>consumer(Addresses.TASKS_SUBMIT, msg -> replyAsync(msg, this::submitFromBus));
    bus.<JsonObject>consumer(Addresses.TRANSLATOR_HEARTBEAT, msg -> onHeartbeat(msg.body()));
    bus.<JsonObject>consumer(Addresses.TASKS_CANCEL, msg -> reply(msg, m -> cancel(str(m.body(), "task_id"), m.body().getString("token"))));
    bus.<JsonObject>consumer(Addresses.TASKS_GET, msg -> reply(msg, m -> {
      TaskRecord task = find(str(m.body(), "task_id"));
      return taskJson(task, settings.showFilenames() || ownedBy(task, m.body().getString("token")));
    }));
    bus.<JsonObject>consumer(Addresses.QUEUE_AUTHORIZE, msg -> reply(msg, m -> authorizeResult(m.body())));
    bus.<JsonObject>consumer(Addresses.QUEUE_HISTORY, msg -> msg.reply(historyJson()));
    bus.<JsonObject>consumer(Addresses.QUEUE_FINISHED, msg -> reply(msg, m -> finished(m.body())));
    bus.consumer(Addresses.SNAPSHOT, msg -> msg.reply(snapshot()));
    bus.<JsonObject>consumer(Addresses.PROGRESS, msg -> onProgress(msg.body()));
    return vertx.fileSystem().mkdirs(incomingDir.toString())
        .compose(v -> store.history(settings.historyMaxTasks()))
        .onSuccess(history::load)
        .compose(v -> store.recentFinishedTasks(MAX_FINISHED_KEPT))
        .onSuccess(finished -> finished.forEach(this::restore))
        .compose(v -> store.unfinishedTasks())
        .map(unfinished -> {
          unfinished.forEach(this::restore);
          if (!unfinished.isEmpty()) {
            LOG.info("Recovered {} unfinished tasks; they resume in their queue order", unfinished.size());
          }
          return null;
        })
        .onSuccess(v -> {
          expireOldTasks();
          vertx.setPeriodic(RETENTION_CHECK_MS, id -> expireOldTasks());
          vertx.setPeriodic(TRANSLATOR_LOST_MS / 4, id -> requeueLostTasks());
          dispatch();
          publishQueue();
        });
  }

  /** Rebuilds a task from the store; a task that was running when the process died goes back to the queue. */
  private void restore(Store.StoredTask row) {
    TaskRecord task = new TaskRecord(TaskSpec.fromJson(row.spec()), java.util.HexFormat.of().parseHex(row.tokenHash()),
        row.createdAt(), row.queueNo());
    taskCounter = Math.max(taskCounter, row.queueNo());
    tasks.put(task.id(), task);
    switch (row.status()) {
      case "queued" -> queued.put(task.id(), task);
      case "running" -> {
        task.resumed = true;
        task.progress = row.progress(); // a resumed task never shows less than it had
        if (clustered) {
          // Its translator may still be alive on another node: wait for its heartbeat before re-running it.
          task.stage = Stage.fromWire(row.stage()).terminal() ? Stage.EXTRACTING : Stage.fromWire(row.stage());
          task.startedAt = row.startedAt();
          task.lastSeen = System.currentTimeMillis();
          running.put(task.id(), task);
        } else {
          queued.put(task.id(), task);
        }
      }
      default -> {
        task.stage = Stage.fromWire(row.stage());
        task.progress = row.progress();
        task.error = row.error();
        task.message = row.message();
        task.startedAt = row.startedAt();
        task.finishedAt = row.finishedAt();
        if (task.stage == Stage.COMPLETED) {
          task.completedSegments = task.spec.totalSegments();
        }
      }
    }
  }

  private void expireOldTasks() {
    if (retentionMs <= 0) {
      return;
    }
    store.deleteFinishedBefore(System.currentTimeMillis() - retentionMs, ownerEpoch)
        .onSuccess(expired -> {
          for (Store.StoredTask row : expired) {
            TaskRecord task = tasks.remove(row.taskId());
            TaskSpec spec = task != null ? task.spec : TaskSpec.fromJson(row.spec());
            deleteFiles(spec);
          }
          if (!expired.isEmpty()) {
            LOG.info("Removed {} finished tasks and their files past the retention period", expired.size());
          }
        })
        .onFailure(err -> LOG.warn("Retention sweep failed: {}", err.getMessage()))
        .onFailure(this::stopIfFenced);
  }

  // ---- admission -------------------------------------------------------------------------

  /**
   * A submit from a service: a Buffer body with headers (the contract), or, for non-JVM clients on
   * the TCP bridge, a JSON body with the same fields and the document in {@code content} (text) or
   * {@code content_base64}.
   */
  private Future<JsonObject> submitFromBus(Message<Object> msg) {
    if (msg.body() instanceof JsonObject json) {
      String content = json.getString("content");
      String base64 = json.getString("content_base64");
      Buffer bytes;
      try {
        bytes = base64 != null ? Buffer.buffer(java.util.Base64.getDecoder().decode(base64))
            : Buffer.buffer(content == null ? "" : content);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(ErrorCode.BAD_REQUEST.error("content_base64 is not valid base64"));
      }
      io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
      for (String key : new String[] {"filename", "source_lang", "target_lang", "engine", "bilingual"}) {
        if (json.getValue(key) != null) {
          headers.add(key, String.valueOf(json.getValue(key)));
        }
      }
      return submit(headers, bytes);
    }
    return submit(msg.headers(), msg.body() instanceof Buffer b ? b : Buffer.buffer());
  }

  private Future<JsonObject> submit(io.vertx.core.MultiMap headers, Buffer body) {
    if (body.length() > maxUploadBytes) {
      return Future.failedFuture(ErrorCode.TOO_LARGE.error("the document is " + body.length() + " bytes; the limit is "
          + maxUploadBytes + " bytes (upload.maxBytes)"));
    }
    String filename = headers.get("filename");
    if (filename == null || filename.isBlank()) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("header 'filename' is required"));
    }
    if (queued.size() >= settings.maxQueued()) {
      return Future.failedFuture(queueFull());
    }
    TaskIntake.Request request = new TaskIntake.Request(filename, headers.get("source_lang"),
        headers.get("target_lang"), headers.get("engine"), Boolean.parseBoolean(headers.get("bilingual")), "bus");
    Path temp = incomingDir.resolve("bus-" + Base64.getUrlEncoder().withoutPadding().encodeToString(TaskIntake.randomBytes(9)));
    return vertx.fileSystem().writeFile(temp.toString(), body)
        .compose(v -> intake.accept(request, temp))
        .compose(this::enqueue);
  }

  /** Admits a task; the reply (and so the 202) waits until the task is durable. */
  private Future<JsonObject> enqueue(TaskSpec spec) {
    if (queued.size() >= settings.maxQueued()) {
      deleteFiles(spec);
      return Future.failedFuture(queueFull());
    }
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(TaskIntake.randomBytes(24));
    TaskRecord task = new TaskRecord(spec, sha256(token), System.currentTimeMillis(), ++taskCounter);
    tasks.put(task.id(), task);
    queued.put(task.id(), task);
    int position = queued.size();
    return store.insertTask(new Store.StoredTask(task.id(), task.number, java.util.HexFormat.of().formatHex(task.tokenHash),
            spec.toJson(), "queued", Stage.QUEUED.wire(), 0, null, null, task.createdAt, null, null), ownerEpoch)
        .onFailure(this::stopIfFenced)
        .recover(err -> {
          tasks.remove(task.id());
          queued.remove(task.id());
          deleteFiles(spec);
          LOG.error("Cannot store task {}", task.id(), err);
          return Future.failedFuture(ErrorCode.INTERNAL.error("the task could not be stored; nothing was queued"));
        })
        .map(v -> {
          LOG.info("Task {} queued: {} segments, {} to {}, engine {}", task.id(), spec.totalSegments(),
              spec.sourceLang(), spec.targetLang(), spec.engine());
          dispatch();
          publishQueue();
          return new JsonObject()
              .put("task_id", task.id())
              .put("queue_no", task.number)
              .put("token", token)
              .put("filename", spec.filename())
              .put("status", task.status())
              .put("position", task.running() ? 0 : position);
        });
  }

  private TransliveException queueFull() {
    return ErrorCode.QUEUE_FULL.error("the queue is full (" + settings.maxQueued() + " tasks waiting); try again later");
  }

  // ---- dispatch --------------------------------------------------------------------------

  private void dispatch() {
    List<TaskRecord> handOff = new ArrayList<>();
    while (running.size() < settings.concurrency() && !queued.isEmpty()) {
      Iterator<TaskRecord> head = queued.values().iterator();
      TaskRecord task = head.next();
      head.remove();
      running.put(task.id(), task);
      task.stage = Stage.EXTRACTING;
      task.startedAt = System.currentTimeMillis();
      task.etaSeconds = estimatedDuration(task);
      persist(task);
      handOff.add(task);
    }
    // Sent after the loop: a hand-off that fails at once (no translator) must not feed the loop again.
    for (TaskRecord task : handOff) {
      JsonObject run = new JsonObject().put("spec", task.spec.toJson()).put("pace", pace(task)).put("resumed", task.resumed)
          .put("display_name", displayName(task)).put("progress", task.progress);
      task.lastSeen = System.currentTimeMillis();
      bus.<JsonObject>request(Addresses.TRANSLATOR_RUN, run, new DeliveryOptions().setSendTimeout(10_000))
          .onSuccess(reply -> task.translator = reply.body().getString("translator"))
          .onFailure(err -> requeueAfterFailedHandOff(task, err));
    }
  }

  private void requeueAfterFailedHandOff(TaskRecord task, Throwable err) {
    if (running.remove(task.id()) == null) {
      return;
    }
    LOG.warn("No translator took task {} ({}); it stays at the head of the queue", task.id(), err.getMessage());
    task.stage = Stage.QUEUED;
    task.startedAt = null;
    latestProgress.remove(task.id());
    persist(task);
    LinkedHashMap<String, TaskRecord> reordered = new LinkedHashMap<>();
    reordered.put(task.id(), task);
    reordered.putAll(queued);
    queued.clear();
    queued.putAll(reordered);
    publishQueue();
    if (!dispatchRetryScheduled) {
      dispatchRetryScheduled = true;
      vertx.setTimer(DISPATCH_RETRY_MS, id -> {
        dispatchRetryScheduled = false;
        dispatch();
      });
    }
  }

  // ---- translators' heartbeats -----------------------------------------------------------

  /** A translator says which tasks it holds; a task held twice is cancelled on the translator that should not run it. */
  private void onHeartbeat(JsonObject beat) {
    String translator = beat.getString("translator");
    long now = System.currentTimeMillis();
    for (Object id : beat.getJsonArray("tasks", new JsonArray())) {
      TaskRecord task = tasks.get(String.valueOf(id));
      if (task != null && running.containsKey(task.id()) && (task.translator == null || task.translator.equals(translator))) {
        task.translator = translator;
        task.lastSeen = now;
      } else {
        // Unknown here, finished, waiting again or run elsewhere: only one translator may end it,
        // so this one drops its run quietly (no report, no task_completed).
        bus.publish(Addresses.TRANSLATOR_CANCEL, new JsonObject().put("task_id", String.valueOf(id))
            .put("translator", translator).put("abandon", true));
      }
    }
    for (Object id : beat.getJsonArray("unreported", new JsonArray())) {
      TaskRecord task = tasks.get(String.valueOf(id));
      if (task != null && running.containsKey(task.id())) {
        task.lastSeen = now; // its end report is on its way
      }
    }
  }

  /** Running tasks whose translator went silent (its node died) go back to the head of the queue. */
  private void requeueLostTasks() {
    long now = System.currentTimeMillis();
    List<TaskRecord> lost = running.values().stream().filter(t -> now - t.lastSeen > TRANSLATOR_LOST_MS).toList();
    for (TaskRecord task : lost) {
      LOG.warn("Task {} lost its translator (no heartbeat for {} s); it runs again from the head of the queue",
          task.id(), TRANSLATOR_LOST_MS / 1000);
      task.resumed = true;
      task.translator = null;
      requeueAfterFailedHandOff(task, new IllegalStateException("translator lost"));
    }
  }

  // ---- progress and completion -----------------------------------------------------------

  private void onProgress(JsonObject message) {
    TaskRecord task = tasks.get(Messages.taskId(message));
    if (task == null || !running.containsKey(task.id())) {
      return; // late progress of a task that ended or went back to the queue
    }
    if (Messages.PROGRESS_UPDATE.equals(Messages.type(message))) {
      JsonObject data = message.getJsonObject("data");
      task.stage = Stage.fromWire(data.getString("stage"));
      if (task.stage.terminal()) {
        return;
      }
      task.progress = Math.max(task.progress, data.getDouble("progress", 0.0));
      task.completedSegments = data.getInteger("completed_segments", task.completedSegments);
      task.uniqueSegments = data.getInteger("unique_segments", task.uniqueSegments);
      task.cachedSegments = data.getInteger("cached_segments", task.cachedSegments);
      task.etaSeconds = data.getDouble("eta_seconds");
      latestProgress.put(task.id(), message);
      // Saved now and then, so a task resumed after a crash never shows less than it had.
      if (System.currentTimeMillis() - task.progressSavedAt > PROGRESS_SAVE_INTERVAL_MS) {
        task.progressSavedAt = System.currentTimeMillis();
        persist(task);
      }
      publishQueueThrottled();
    }
  }

  /** A translator reports the end of a task, before it publishes task_completed. */
  private JsonObject finished(JsonObject report) {
    TaskRecord task = find(str(report, "task_id"));
    String translator = report.getString("translator");
    boolean runsElsewhere = running.containsKey(task.id()) && task.translator != null && translator != null
        && !task.translator.equals(translator);
    if (task.finished() || runsElsewhere) {
      // Acknowledged but not taken: the task already ended, or another translator owns it now, and
      // the reporter must not announce an end of its own.
      return new JsonObject().put("task_id", task.id()).put("status", task.status()).put("accepted", false);
    }
    finish(task, Stage.fromWire(report.getString("status")), report.getString("message"), report.getString("error"));
    JsonObject entry = new JsonObject()
        .put("task_id", task.id())
        .put("filename", displayName(task))
        .put("engine", task.spec.engine())
        .put("status", task.status())
        .put("total_segments", task.spec.totalSegments())
        .put("translated_segments", report.getInteger("translated_segments", 0))
        .put("translate_seconds", report.getDouble("translate_seconds", 0.0))
        .put("duration_seconds", durationSeconds(task))
        .put("finished_at", TaskRecord.seconds(task.finishedAt));
    history.add(entry);
    metrics.taskFinished(task.spec.engine(), task.status(), entry.getDouble("duration_seconds"));
    store.addHistory(task.id(), task.finishedAt, entry, settings.historyMaxTasks(), ownerEpoch)
        .onFailure(err -> LOG.warn("Cannot store history: {}", err.getMessage()))
        .onFailure(this::stopIfFenced);
    return new JsonObject().put("task_id", task.id()).put("status", task.status());
  }

  private void finish(TaskRecord task, Stage stage, String message, String error) {
    task.stage = stage;
    task.finishedAt = System.currentTimeMillis();
    task.message = message;
    task.error = stage == Stage.COMPLETED ? null : error;
    if (stage == Stage.COMPLETED) {
      task.progress = 1.0;
      task.completedSegments = task.spec.totalSegments();
    }
    task.etaSeconds = stage == Stage.COMPLETED ? 0.0 : null;
    queued.remove(task.id());
    running.remove(task.id());
    latestProgress.remove(task.id());
    persist(task);
    LOG.info("Task {} {} after {}s{}", task.id(), stage.wire(), String.format("%.1f", durationSeconds(task)),
        error == null ? "" : ": " + error);
    evictOldFinished();
    dispatch();
    publishQueue();
  }

  private double durationSeconds(TaskRecord task) {
    long from = task.startedAt != null ? task.startedAt : task.createdAt;
    return ((task.finishedAt == null ? System.currentTimeMillis() : task.finishedAt) - from) / 1000.0;
  }

  /** Writes the task's status; failures are logged, the in-memory state stays authoritative until restart. */
  private void persist(TaskRecord task) {
    store.updateTask(task.id(), task.status(), task.stage.wire(), task.progress, task.error, task.message,
        task.startedAt, task.finishedAt, ownerEpoch)
        .onFailure(err -> LOG.warn("Cannot store the state of {}: {}", task.id(), err.getMessage()))
        .onFailure(this::stopIfFenced);
  }

  /** Another node owns the queue now: this one must stop deciding anything, so it undeploys itself. */
  private void stopIfFenced(Throwable err) {
    if (err instanceof FencedException && !fenced) {
      fenced = true;
      LOG.error("This node is no longer the queue owner ({}); stopping its queue", err.getMessage());
      vertx.undeploy(deploymentID()).onComplete(ar -> steppedDown.run());
    }
  }

  private void evictOldFinished() {
    int finishedCount = tasks.size() - queued.size() - running.size();
    Iterator<TaskRecord> it = tasks.values().iterator();
    while (finishedCount > MAX_FINISHED_KEPT && it.hasNext()) {
      TaskRecord old = it.next();
      if (old.finished()) {
        // Forgotten here only: its row and files stay until the retention sweep removes them.
        it.remove();
        finishedCount--;
      }
    }
  }

  // ---- cancel ----------------------------------------------------------------------------

  private JsonObject cancel(String taskId, String token) {
    TaskRecord task = find(taskId);
    checkToken(task, token);
    if (task.finished()) {
      throw ErrorCode.CONFLICT.error("task " + taskId + " already " + task.status());
    }
    if (queued.containsKey(taskId)) {
      finish(task, Stage.CANCELLED, "Cancelled before it started", "cancelled by the user");
      deleteFiles(task.spec);
      bus.publish(Addresses.PROGRESS, Messages.taskCompleted(seq.next(), task.id(), displayName(task),
          Stage.CANCELLED, "Cancelled before it started", 0));
    } else if (!task.cancelRequested) {
      task.cancelRequested = true;
      bus.publish(Addresses.TRANSLATOR_CANCEL, new JsonObject().put("task_id", taskId));
      vertx.setTimer(CANCEL_GRACE_MS, id -> {
        if (!task.finished()) {
          LOG.warn("Translator did not confirm the cancel of {}; cancelling it here", taskId);
          finish(task, Stage.CANCELLED, "Cancelled", "cancelled by the user");
          bus.publish(Addresses.PROGRESS, Messages.taskCompleted(seq.next(), task.id(), displayName(task),
              Stage.CANCELLED, "Cancelled", durationSeconds(task)));
        }
      });
    }
    return new JsonObject().put("task_id", taskId).put("status", task.finished() ? task.status() : "cancelling");
  }

  private JsonObject authorizeResult(JsonObject request) {
    TaskRecord task = find(str(request, "task_id"));
    checkToken(task, request.getString("token"));
    if (task.stage != Stage.COMPLETED) {
      throw ErrorCode.CONFLICT.error("task " + task.id() + " is " + task.status() + "; the result exists once it is completed");
    }
    return new JsonObject().put("spec", task.spec.toJson()).put("filename", task.spec.resultFilename());
  }

  private static boolean ownedBy(TaskRecord task, String token) {
    return token != null && MessageDigest.isEqual(task.tokenHash, sha256(token));
  }

  private void checkToken(TaskRecord task, String token) {
    if (token == null || token.isEmpty()) {
      throw ErrorCode.FORBIDDEN.error("this needs the task's token (header X-Task-Token)");
    }
    if (!MessageDigest.isEqual(task.tokenHash, sha256(token))) {
      throw ErrorCode.FORBIDDEN.error("wrong token for task " + task.id());
    }
  }

  // ---- views -----------------------------------------------------------------------------

  private TaskRecord find(String taskId) {
    TaskRecord task = taskId == null ? null : tasks.get(taskId);
    if (task == null) {
      throw ErrorCode.NOT_FOUND.error("no task " + taskId);
    }
    return task;
  }

  /** The task for GET; {@code realName} is false for others' tasks when file names are hidden. */
  private JsonObject taskJson(TaskRecord task, boolean realName) {
    JsonObject json = taskJson(task);
    return realName ? json : json.put("filename", displayName(task)).put("result_filename", null);
  }

  private JsonObject taskJson(TaskRecord task) {
    if (!queued.containsKey(task.id())) {
      return task.toJson(task.running() ? 0 : null, task.running() ? 0.0 : null);
    }
    int position = 0;
    List<Double> durations = new ArrayList<>();
    for (TaskRecord q : queued.values()) {
      position++;
      durations.add(estimatedDuration(q));
      if (q == task) {
        break;
      }
    }
    double[] waits = WaitEstimator.waits(settings.concurrency(), runningEtas(), durations);
    return task.toJson(position, waits[waits.length - 1]);
  }

  private JsonObject snapshot() {
    return Messages.snapshot(latestQueueUpdate, new JsonArray(new ArrayList<>(latestProgress.values())));
  }

  private JsonObject historyJson() {
    return new JsonObject().put("tasks", history.entries()).put("stats", history.stats());
  }

  private void publishQueueThrottled() {
    requestPublish(PROGRESS_BROADCAST_INTERVAL_MS);
  }

  /** A structural change: published at once when idle, else coalesced with others (a burst of submits). */
  private void publishQueue() {
    requestPublish(QUEUE_COALESCE_MS);
  }

  /** Publishes no sooner than {@code minIntervalMs} after the last queue_update, once for all changes meanwhile. */
  private void requestPublish(long minIntervalMs) {
    long now = System.currentTimeMillis();
    long due = Math.max(now, lastQueuePublish + minIntervalMs);
    if (publishTimer >= 0) {
      if (publishDue <= due) {
        return; // an earlier publish will carry this change
      }
      vertx.cancelTimer(publishTimer);
      publishTimer = -1;
    }
    if (due == now) {
      publishQueueNow();
      return;
    }
    publishDue = due;
    publishTimer = vertx.setTimer(due - now, id -> {
      publishTimer = -1;
      publishQueueNow();
    });
  }

  private void publishQueueNow() {
    lastQueuePublish = System.currentTimeMillis();
    JsonArray runningJson = new JsonArray();
    for (TaskRecord r : running.values()) {
      runningJson.add(Messages.runningEntry(r.id(), displayName(r), r.progress, r.etaSeconds, r.stage));
    }
    int limit = Math.min(queued.size(), settings.broadcastLimit());
    List<Double> durations = new ArrayList<>(limit);
    List<TaskRecord> head = new ArrayList<>(limit);
    for (TaskRecord q : queued.values()) {
      if (head.size() == limit) {
        break;
      }
      head.add(q);
      durations.add(estimatedDuration(q));
    }
    double[] waits = WaitEstimator.waits(settings.concurrency(), runningEtas(), durations);
    JsonArray queuedJson = new JsonArray();
    for (int i = 0; i < head.size(); i++) {
      TaskRecord q = head.get(i);
      queuedJson.add(Messages.queuedEntry(q.id(), displayName(q), i + 1, waits[i], q.number));
    }
    JsonArray ranges = new JsonArray();
    long rangeStart = -1;
    long rangeEnd = -1;
    boolean complete = true;
    for (TaskRecord q : queued.values()) {
      if (q.number == rangeEnd + 1) {
        rangeEnd = q.number;
        continue;
      }
      if (rangeStart >= 0) {
        if (ranges.size() == MAX_QUEUE_NO_RANGES) {
          complete = false;
          break;
        }
        ranges.add(new JsonArray().add(rangeStart).add(rangeEnd));
      }
      rangeStart = q.number;
      rangeEnd = q.number;
    }
    if (rangeStart >= 0 && complete) {
      ranges.add(new JsonArray().add(rangeStart).add(rangeEnd));
    }
    double tailPerTask = durations.isEmpty() ? settings.defaultSecondsPerSegment()
        : durations.stream().mapToDouble(Double::doubleValue).average().orElse(0) / Math.max(1, settings.concurrency());
    metrics.queue(queued.size(), running.size());
    latestQueueUpdate = Messages.queueUpdate(seq.next(), runningJson, queuedJson, queued.size(), settings.concurrency(),
        ranges, complete, tailPerTask);
    bus.publish(Addresses.QUEUE, latestQueueUpdate);
  }

  private String displayName(TaskRecord task) {
    return settings.showFilenames() ? task.spec.filename() : "document " + task.number;
  }

  private List<Double> runningEtas() {
    List<Double> etas = new ArrayList<>(running.size());
    for (TaskRecord r : running.values()) {
      etas.add(r.etaSeconds == null ? estimatedDuration(r) : r.etaSeconds);
    }
    return etas;
  }

  /** Seconds per segment for a task's engine: history, else the engine's nominal pace, else the configured default. */
  private double pace(TaskRecord task) {
    Double learned = history.secondsPerSegment(task.spec.engine());
    if (learned != null) {
      return learned;
    }
    return task.spec.nominalSecondsPerSegment() > 0 ? task.spec.nominalSecondsPerSegment() : settings.defaultSecondsPerSegment();
  }

  private double estimatedDuration(TaskRecord task) {
    return task.spec.totalSegments() * pace(task);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static String str(JsonObject body, String key) {
    if (body == null || !(body.getValue(key) instanceof String s) || s.isBlank()) {
      throw ErrorCode.BAD_REQUEST.error("'" + key + "' is required");
    }
    return s;
  }

  private <T> void reply(Message<T> msg, Function<Message<T>, JsonObject> action) {
    try {
      msg.reply(action.apply(msg));
    } catch (RuntimeException e) {
      failReply(msg, e);
    }
  }

  private <T> void replyAsync(Message<T> msg, Function<Message<T>, Future<JsonObject>> action) {
    Future<JsonObject> result;
    try {
      result = action.apply(msg);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(err -> failReply(msg, err));
  }

  private static void failReply(Message<?> msg, Throwable err) {
    TransliveException e = ErrorCode.of(err);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("Queue request failed", err);
    }
    msg.fail(e.code().status(), e.getMessage());
  }

  private void deleteFiles(TaskSpec spec) {
    files.delete(spec).onFailure(err -> LOG.debug("Could not delete the files of {}: {}", spec.taskId(), err.getMessage()));
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
