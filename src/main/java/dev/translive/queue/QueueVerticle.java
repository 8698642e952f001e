package dev.translive.queue;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.bus.Internal;
import dev.translive.bus.TaskSpec;
import dev.translive.bus.TransliveException;
import dev.translive.config.AppConfig;
import dev.translive.ops.ServiceMetrics;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import dev.translive.store.FencedException;
import dev.translive.store.Store;
import dev.translive.store.TaskFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue owner on the bus: requests in, the {@link QueueMachine} decides, the store and the
 * publications ({@code queue_update}, hand-offs, cancels) out. It listens only once its tasks are
 * restored, so nothing is decided on a partial queue.
 */
public final class QueueVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(QueueVerticle.class);
  /** Running progress changes the queue view constantly; one update a second is enough for waits. */
  private static final long PROGRESS_BROADCAST_INTERVAL_MS = 1000;
  /** Structural changes closer together than this share one queue_update (a burst of submissions). */
  private static final long QUEUE_COALESCE_MS = 100;
  /** A translator that does not confirm a cancel in this time is presumed gone. */
  private static final long CANCEL_GRACE_MS = 3000;
  private static final long DISPATCH_RETRY_MS = 1000;
  private static final long HAND_OFF_TIMEOUT_MS = 10_000;
  /** Finished tasks kept for status and downloads. */
  private static final int MAX_FINISHED_KEPT = 1000;
  private static final long RETENTION_CHECK_MS = 3_600_000;

  private final AppConfig config;
  private final Store store;
  private final TaskFiles files;
  /** This owner's epoch; the store refuses its writes once another owner claims a newer one. */
  private final long epoch;
  private final Runnable steppedDown;
  private final TaskIntake intake;
  private final SeqClock seq;
  private final ServiceMetrics metrics;
  private final Path incomingDir;
  private final History history;
  private final QueueMachine machine;
  private final QueueViews views;
  private Coalescer publisher;
  private Submission submission;
  private EventBus bus;
  private JsonObject latestQueueUpdate;
  private boolean dispatchRetryScheduled;
  private boolean fenced;

  /** @param steppedDown called when a newer owner fenced this one off and it stopped */
  public QueueVerticle(AppConfig config, Store store, TaskFiles files, long ownerEpoch, TaskIntake intake, SeqClock seq,
      ServiceMetrics metrics, Runnable steppedDown) {
    AppConfig.Queue q = config.queue();
    this.config = config;
    this.store = store;
    this.files = files;
    this.epoch = ownerEpoch;
    this.intake = intake;
    this.seq = seq;
    this.metrics = metrics;
    this.steppedDown = steppedDown;
    this.incomingDir = config.dataDir().resolve("incoming");
    this.history = new History(q.historyMaxTasks());
    this.machine = new QueueMachine(new QueueMachine.Settings(q.concurrency(), q.maxQueued(), MAX_FINISHED_KEPT,
        q.showFilenames(), q.defaultSecondsPerSegment()), System::currentTimeMillis, history::secondsPerSegment);
    this.views = new QueueViews(machine, q.broadcastLimit());
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    publisher = new Coalescer(vertx, this::publishQueueNow);
    submission = new Submission(vertx, intake, files);
    boolean clustered = config.cluster().enabled();
    return vertx.fileSystem().mkdirs(incomingDir.toString())
        .compose(v -> store.history(config.queue().historyMaxTasks()))
        .onSuccess(history::load)
        .compose(v -> store.recentFinishedTasks(MAX_FINISHED_KEPT))
        .onSuccess(finished -> finished.forEach(row -> machine.restore(row, clustered)))
        .compose(v -> store.highestQueueNo())
        .onSuccess(machine::numberedUpTo)
        .compose(v -> store.unfinishedTasks())
        .onSuccess(unfinished -> {
          unfinished.forEach(row -> machine.restore(row, clustered));
          if (!unfinished.isEmpty()) {
            LOG.info("Recovered {} unfinished tasks; they resume in their queue order", unfinished.size());
          }
          expireOldTasks();
          vertx.setPeriodic(RETENTION_CHECK_MS, id -> expireOldTasks());
          vertx.setPeriodic(QueueMachine.TRANSLATOR_LOST_MS / 4, id -> requeueLost());
          publishQueueNow();
        })
        .compose(v -> listen())
        .onSuccess(v -> {
          dispatch();
          publishQueue();
        });
  }

  /** Registers every consumer and completes once all are registered (cluster-wide). */
  private Future<Void> listen() {
    List<MessageConsumer<?>> consumers = List.of(
        bus.<JsonObject>consumer(Addresses.QUEUE_ENQUEUE, msg -> replyAsync(msg, () -> enqueue(TaskSpec.fromJson(msg.body())))),
        bus.<Object>consumer(Addresses.TASKS_SUBMIT, msg -> replyAsync(msg, () -> submission
            .fromBus(msg, config.upload().maxBytes(), incomingDir, machine::checkRoom).compose(this::enqueue))),
        bus.<JsonObject>consumer(Addresses.TRANSLATOR_HEARTBEAT, msg -> machine.heartbeat(Internal.Heartbeat.fromJson(msg.body()))
            .forEach(id -> bus.publish(Addresses.TRANSLATOR_CANCEL, new Internal.Cancel(id, msg.body().getString("translator"), true).toJson()))),
        bus.<JsonObject>consumer(Addresses.TASKS_CANCEL, msg -> reply(msg, () -> cancel(Internal.TaskRef.fromJson(msg.body())))),
        bus.<JsonObject>consumer(Addresses.TASKS_GET, msg -> reply(msg, () -> {
          Internal.TaskRef ref = Internal.TaskRef.fromJson(msg.body());
          return views.task(machine.find(ref.taskId()), ref.token());
        })),
        bus.<JsonObject>consumer(Addresses.QUEUE_AUTHORIZE, msg -> reply(msg, () -> {
          Internal.TaskRef ref = Internal.TaskRef.fromJson(msg.body());
          TaskRecord task = machine.authorizeResult(ref.taskId(), ref.token());
          return new JsonObject().put("spec", task.spec.toJson()).put("filename", task.spec.resultFilename());
        })),
        bus.<JsonObject>consumer(Addresses.QUEUE_HISTORY, msg -> msg.reply(new JsonObject().put("tasks", history.entries())
            .put("stats", history.stats()))),
        bus.<JsonObject>consumer(Addresses.QUEUE_FINISHED, msg -> reply(msg, () -> onReport(Internal.Report.fromJson(msg.body())))),
        bus.consumer(Addresses.SNAPSHOT, msg -> msg.reply(Messages.snapshot(latestQueueUpdate, views.latestProgress()))),
        bus.<JsonObject>consumer(Addresses.PROGRESS, msg -> onProgress(msg.body())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /** Admits a task; the reply (and so the 202) waits until the task is durable. */
  private Future<JsonObject> enqueue(TaskSpec spec) {
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(TaskIntake.randomBytes(24));
    TaskRecord task;
    try {
      task = machine.submit(spec, token);
    } catch (TransliveException e) {
      deleteFiles(spec);
      return Future.failedFuture(e);
    }
    return store.insertTask(new Store.StoredTask(task.id(), task.number, HexFormat.of().formatHex(task.tokenHash),
            spec.toJson(), "queued", Stage.QUEUED.wire(), 0, null, null, task.createdAt, null, null), epoch)
        .onFailure(this::stopIfFenced)
        .transform(stored -> {
          if (stored.failed()) {
            machine.withdraw(task.id());
            deleteFiles(spec);
            LOG.error("Cannot store task {}", task.id(), stored.cause());
            return Future.failedFuture(ErrorCode.INTERNAL.error("the task could not be stored; nothing was queued"));
          }
          machine.stored(task.id());
          LOG.info("Task {} queued: {} segments, {} to {}, engine {}", task.id(), spec.totalSegments(),
              spec.sourceLang(), spec.targetLang(), spec.engine());
          dispatch();
          publishQueue();
          return Future.succeededFuture(views.submitted(task, token));
        });
  }

  private void dispatch() {
    for (TaskRecord task : machine.admit()) {
      persist(task);
      Internal.Run run = new Internal.Run(task.spec, machine.pace(task), task.resumed, machine.displayName(task), task.progress);
      bus.<JsonObject>request(Addresses.TRANSLATOR_RUN, run.toJson(), new DeliveryOptions().setSendTimeout(HAND_OFF_TIMEOUT_MS))
          .onSuccess(reply -> machine.handedTo(task.id(), Internal.RunAccepted.fromJson(reply.body()).translator()))
          .onFailure(err -> {
            if (machine.requeue(task.id())) {
              LOG.warn("No translator took task {} ({}); it stays at the head of the queue", task.id(), err.getMessage());
              requeued(task);
            }
          });
    }
  }

  /** Running tasks whose translator went silent (its node died) run again from the head of the queue. */
  private void requeueLost() {
    for (TaskRecord task : machine.requeueLost()) {
      LOG.warn("Task {} lost its translator (no heartbeat for {} s); it runs again from the head of the queue",
          task.id(), QueueMachine.TRANSLATOR_LOST_MS / 1000);
      requeued(task);
    }
  }

  private void requeued(TaskRecord task) {
    persist(task);
    publishQueue();
    if (!dispatchRetryScheduled) {
      dispatchRetryScheduled = true;
      vertx.setTimer(DISPATCH_RETRY_MS, id -> {
        dispatchRetryScheduled = false;
        dispatch();
      });
    }
  }

  private void onProgress(JsonObject message) {
    Internal.ProgressSeen seen = Internal.ProgressSeen.fromMessage(message);
    QueueMachine.ProgressEffect effect = seen == null ? QueueMachine.ProgressEffect.IGNORED : machine.progress(seen, message);
    if (effect == QueueMachine.ProgressEffect.SAVE) {
      persist(machine.find(seen.taskId())); // so a task resumed after a crash never shows less than it had
    }
    if (effect != QueueMachine.ProgressEffect.IGNORED) {
      publisher.request(PROGRESS_BROADCAST_INTERVAL_MS);
    }
  }

  /** A translator reports the end of a task, before it publishes task_completed. */
  private JsonObject onReport(Internal.Report report) {
    QueueMachine.Ending ending = machine.report(report);
    TaskRecord task = ending.task();
    if (ending.accepted()) {
      ended(task);
      JsonObject entry = views.historyEntry(task, report);
      history.add(entry);
      metrics.taskFinished(task.spec.engine(), task.status(), entry.getDouble("duration_seconds"));
      store.addHistory(task.id(), task.finishedAt, entry, config.queue().historyMaxTasks(), epoch)
          .onFailure(err -> LOG.warn("Cannot store history: {}", err.getMessage()))
          .onFailure(this::stopIfFenced);
    }
    return new Internal.ReportAck(task.id(), task.status(), ending.accepted()).toJson();
  }

  private JsonObject cancel(Internal.TaskRef ref) {
    QueueMachine.CancelEffect effect = machine.cancel(ref.taskId(), ref.token());
    TaskRecord task = machine.find(ref.taskId());
    if (effect == QueueMachine.CancelEffect.CANCELLED) {
      ended(task);
      deleteFiles(task.spec);
      announceCancel(task);
    } else if (effect == QueueMachine.CancelEffect.ASK_TRANSLATOR) {
      bus.publish(Addresses.TRANSLATOR_CANCEL, new Internal.Cancel(task.id(), null, false).toJson());
      vertx.setTimer(CANCEL_GRACE_MS, id -> {
        if (machine.cancelTimedOut(task.id())) {
          LOG.warn("Translator did not confirm the cancel of {}; cancelling it here", task.id());
          ended(task);
          announceCancel(task);
        }
      });
    }
    return new JsonObject().put("task_id", task.id()).put("status", task.finished() ? task.status() : "cancelling");
  }

  private void announceCancel(TaskRecord task) {
    double duration = task.startedAt == null ? 0 : machine.durationSeconds(task);
    bus.publish(Addresses.PROGRESS, Messages.taskCompleted(seq.next(), task.id(), machine.displayName(task), Stage.CANCELLED,
        task.message, duration));
  }

  private void ended(TaskRecord task) {
    persist(task);
    LOG.info("Task {} {} after {}s{}", task.id(), task.stage.wire(), String.format("%.1f", machine.durationSeconds(task)),
        task.error == null ? "" : ": " + task.error);
    dispatch();
    publishQueue();
  }

  private void expireOldTasks() {
    long retentionMs = (long) (config.retentionHours() * 3_600_000L);
    if (retentionMs <= 0) {
      return;
    }
    store.deleteFinishedBefore(System.currentTimeMillis() - retentionMs, epoch)
        .onSuccess(expired -> {
          for (Store.StoredTask row : expired) {
            machine.expire(row.taskId());
            deleteFiles(TaskSpec.fromJson(row.spec()));
          }
          if (!expired.isEmpty()) {
            LOG.info("Removed {} finished tasks and their files past the retention period", expired.size());
          }
        })
        .onFailure(err -> LOG.warn("Retention sweep failed: {}", err.getMessage()))
        .onFailure(this::stopIfFenced);
  }

  /** Writes the task's status; failures are logged, the in-memory state stays authoritative until restart. */
  private void persist(TaskRecord task) {
    store.updateTask(task.id(), task.status(), task.stage.wire(), task.progress, task.error, task.message,
        task.startedAt, task.finishedAt, epoch)
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

  /** A structural change: published at once when idle, else coalesced with others (a burst of submits). */
  private void publishQueue() {
    publisher.request(QUEUE_COALESCE_MS);
  }

  private void publishQueueNow() {
    metrics.queue(machine.queuedCount(), machine.running().size());
    latestQueueUpdate = views.queueUpdate(seq.next());
    bus.publish(Addresses.QUEUE, latestQueueUpdate);
  }

  private void deleteFiles(TaskSpec spec) {
    files.delete(spec).onFailure(err -> LOG.debug("Could not delete the files of {}: {}", spec.taskId(), err.getMessage()));
  }

  private static <T> void reply(Message<T> msg, Supplier<JsonObject> action) {
    replyAsync(msg, () -> Future.succeededFuture(action.get()));
  }

  private static <T> void replyAsync(Message<T> msg, Supplier<Future<JsonObject>> action) {
    Future<JsonObject> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      TransliveException e = ErrorCode.of(err);
      if (e.code() == ErrorCode.INTERNAL) {
        LOG.error("Queue request failed", err);
      }
      msg.fail(e.code().status(), e.getMessage());
    });
  }
}
