package dev.translive.queue;

import static dev.translive.bus.Replies.reply;
import static dev.translive.bus.Replies.replyNow;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.bus.Internal;
import dev.translive.bus.TaskSpec;
import dev.translive.bus.TransliveException;
import dev.translive.config.AppConfig;
import dev.translive.ops.ServiceMetrics;
import dev.translive.progress.SeqClock;
import dev.translive.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue owner on the bus: requests in, the {@link QueueMachine} decides, the store and the
 * publications ({@code queue_update}, hand-offs, cancels) out. It listens only once its tasks are
 * restored, so nothing is decided on a partial queue.
 */
public final class QueueVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(QueueVerticle.class);
  /** A translator that does not confirm a cancel in this time is presumed gone. */
  private static final long CANCEL_GRACE_MS = 3000;
  private static final long DISPATCH_RETRY_MS = 1000;
  private static final long HAND_OFF_TIMEOUT_MS = 10_000;
  private static final long RETENTION_CHECK_MS = 3_600_000;

  private final AppConfig config;
  private final OwnerStore store;
  private final SeqClock seq;
  private final ServiceMetrics metrics;
  private final History history;
  private final QueueMachine machine;
  private final QueueViews views;
  private final Submission submission;
  private final Estimates estimates;
  private QueuePublisher publisher;
  private EventBus bus;
  private boolean dispatchRetryScheduled;

  /** @param steppedDown called when a newer owner fenced this one off and it stopped */
  public QueueVerticle(AppConfig config, Store store, long ownerEpoch, Submission submission, SeqClock seq,
      ServiceMetrics metrics, Runnable steppedDown) {
    this.config = config;
    // Another node owns the queue now: this one must stop deciding anything, so it undeploys itself.
    this.store = new OwnerStore(store, ownerEpoch, () -> vertx.undeploy(deploymentID()).onComplete(ar -> steppedDown.run()));
    this.submission = submission;
    this.seq = seq;
    this.metrics = metrics;
    this.history = new History(config.queue().historyMaxTasks());
    this.machine = new QueueMachine(QueueMachine.Settings.of(config), System::currentTimeMillis, history::secondsPerCharacter);
    this.views = new QueueViews(machine, config.queue().broadcastLimit());
    this.estimates = new Estimates(config, store, machine, submission);
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    publisher = new QueuePublisher(vertx, views, seq, metrics);
    return vertx.fileSystem().mkdirs(config.dataDir().resolve("incoming").toString())
        .compose(v -> store.restore(machine, history, config.queue().historyMaxTasks(), config.finishedInMemory(),
            config.cluster().enabled()))
        .onSuccess(unfinished -> {
          if (unfinished > 0) {
            LOG.info("Recovered {} unfinished tasks; they resume in their queue order", unfinished);
          }
          expireOldTasks();
          vertx.setPeriodic(RETENTION_CHECK_MS, id -> expireOldTasks());
          vertx.setPeriodic(QueueMachine.TRANSLATOR_LOST_MS / 4, id -> checkRunning());
          publisher.now();
        })
        .compose(v -> listen())
        .onSuccess(v -> {
          dispatch();
          publisher.changed(QueuePublisher.Change.STRUCTURAL);
        });
  }

  /** Registers every consumer; completes once all are registered (cluster-wide). */
  private Future<Void> listen() {
    List<MessageConsumer<?>> consumers = List.of(
        bus.<JsonObject>consumer(Addresses.QUEUE_ENQUEUE, msg -> reply(msg, () -> enqueue(TaskSpec.fromJson(msg.body())), LOG)),
        bus.<Object>consumer(Addresses.TASKS_SUBMIT, msg -> reply(msg, () -> estimates.withinMaxCost(msg).compose(v -> submission
            .fromBus(msg, config.upload().maxBytes(), config.dataDir().resolve("incoming"), headers -> {
              machine.checkRoom();
              checkBusPriority(headers);
            })).compose(this::enqueue), LOG)),
        bus.<Object>consumer(Addresses.TASKS_ESTIMATE, msg -> reply(msg, () -> estimates.estimate(msg), LOG)),
        bus.<JsonObject>consumer(Addresses.TASKS_PAUSE, msg -> reply(msg, () -> withTask(msg.body(), this::pause), LOG)),
        bus.<JsonObject>consumer(Addresses.TASKS_RESUME, msg -> reply(msg, () -> withTask(msg.body(), this::resume), LOG)),
        bus.<JsonObject>consumer(Addresses.QUEUE_PAUSED, msg -> replyNow(msg, () -> onPaused(Internal.Paused.fromJson(msg.body())), LOG)),
        bus.<JsonObject>consumer(Addresses.QUEUE_ADMIN, msg -> reply(msg, () -> admin(Internal.Admin.fromJson(msg.body())), LOG)),
        bus.<JsonObject>consumer(Addresses.TRANSLATOR_HEARTBEAT, msg -> machine.heartbeat(Internal.Heartbeat.fromJson(msg.body()))
            .forEach(id -> bus.publish(Addresses.TRANSLATOR_CANCEL, new Internal.Cancel(id, msg.body().getString("translator"), true)
                .toJson()))),
        bus.<JsonObject>consumer(Addresses.TASKS_CANCEL, msg -> reply(msg, () -> withTask(msg.body(), this::cancel), LOG)),
        bus.<JsonObject>consumer(Addresses.TASKS_GET, msg -> reply(msg, () -> withTask(msg.body(), views::task), LOG)),
        bus.<JsonObject>consumer(Addresses.QUEUE_AUTHORIZE, msg -> reply(msg, () -> withTask(msg.body(), views::authorizedResult), LOG)),
        bus.<JsonObject>consumer(Addresses.QUEUE_HISTORY, msg -> msg.reply(history.json())),
        bus.<JsonObject>consumer(Addresses.QUEUE_FINISHED, msg -> replyNow(msg, () -> onReport(Internal.Report.fromJson(msg.body())), LOG)),
        bus.consumer(Addresses.SNAPSHOT, msg -> msg.reply(publisher.snapshot())),
        bus.<JsonObject>consumer(Addresses.PROGRESS, msg -> onProgress(msg.body())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /**
   * A bus submission asks for {@code high} only with header {@code admin_key} equal to the
   * configured admin key (the same rule as the HTTP API's X-Admin-Key).
   */
  private void checkBusPriority(io.vertx.core.MultiMap headers) {
    if ("high".equals(TaskSpec.priority(headers.get("priority")))
        && !dev.translive.http.AdminGuard.matches(config.edge().adminKey(), headers.get("admin_key"))) {
      throw ErrorCode.FORBIDDEN.error(dev.translive.http.AdminGuard.HIGH_PRIORITY_REFUSAL);
    }
  }

  private JsonObject pause(Internal.TaskRef ref) {
    if (machine.pause(ref.taskId(), ref.token())) {
      bus.publish(Addresses.TRANSLATOR_PAUSE, new Internal.Pause(ref.taskId()).toJson());
    }
    return new JsonObject().put("task_id", ref.taskId()).put("status", "pausing");
  }

  /** A translator stopped a task as asked: its slot goes to the next task. */
  private JsonObject onPaused(Internal.Paused paused) {
    TaskRecord task = machine.pausedBy(paused.taskId(), paused.translator());
    if (task != null) {
      store.save(task);
      LOG.info("Task {} paused at {}%", task.id(), Math.round(task.progress * 100));
      bus.publish(Addresses.PROGRESS, views.taskPaused(task, seq.next()));
      dispatch();
      publisher.changed(QueuePublisher.Change.STRUCTURAL);
    }
    return new JsonObject().put("task_id", paused.taskId()).put("accepted", task != null);
  }

  private JsonObject resume(Internal.TaskRef ref) {
    TaskRecord task = machine.resume(ref.taskId(), ref.token());
    store.save(task);
    LOG.info("Task {} resumed", task.id());
    bus.publish(Addresses.PROGRESS, views.taskResumed(task, seq.next()));
    JsonObject reply = new JsonObject().put("task_id", task.id()).put("status", task.status())
        .put("position", machine.position(task));
    dispatch();
    publisher.changed(QueuePublisher.Change.STRUCTURAL);
    return reply;
  }

  /** The operator's actions; the HTTP edge checked the admin key. */
  private Future<JsonObject> admin(Internal.Admin request) {
    return switch (request.action()) {
      case "tasks" -> Future.succeededFuture(views.adminTasks());
      case "pause_queue", "resume_queue" -> {
        machine.pauseQueue("pause_queue".equals(request.action()));
        LOG.info("Queue {} by the operator", machine.queuePaused() ? "paused (draining)" : "resumed");
        dispatch();
        publisher.changed(QueuePublisher.Change.STRUCTURAL);
        yield Future.succeededFuture(new JsonObject().put("queue_paused", machine.queuePaused()));
      }
      case "priority" -> withTask(request.toJson(), ref -> {
        TaskRecord task = machine.reprioritize(ref.taskId(), TaskSpec.priority(request.priority()));
        LOG.info("Task {} now has priority {}", task.id(), task.priority);
        publisher.changed(QueuePublisher.Change.STRUCTURAL);
        return views.adminTask(task);
      });
      default -> withTask(request.toJson(), ref -> cancel(ref, true));
    };
  }

  /** {@code action} on the task a request names, read back from the store if it ended long ago. */
  private Future<JsonObject> withTask(JsonObject request, Function<Internal.TaskRef, JsonObject> action) {
    Internal.TaskRef ref = Internal.TaskRef.fromJson(request);
    return store.recall(machine, ref.taskId(), config.cluster().enabled()).map(v -> action.apply(ref));
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
    return store.insert(task).transform(stored -> {
      if (stored.failed()) {
        machine.withdraw(task.id());
        deleteFiles(spec);
        LOG.error("Cannot store task {}", task.id(), stored.cause());
        return Future.failedFuture(ErrorCode.INTERNAL.error("the task could not be stored; nothing was queued"));
      }
      machine.stored(task.id());
      LOG.info("Task {} queued: {} segments, {} to {}, engine {}", task.id(), spec.totalSegments(), spec.sourceLang(),
          spec.targetLang(), spec.engine());
      dispatch();
      publisher.changed(QueuePublisher.Change.STRUCTURAL);
      return Future.succeededFuture(views.submitted(task, token));
    });
  }

  private void dispatch() {
    for (TaskRecord task : machine.admit()) {
      store.save(task);
      bus.<JsonObject>request(Addresses.TRANSLATOR_RUN, views.run(task).toJson(), new DeliveryOptions().setSendTimeout(HAND_OFF_TIMEOUT_MS))
          .onSuccess(reply -> machine.handedTo(task.id(), Internal.RunAccepted.fromJson(reply.body()).translator()))
          .onFailure(err -> {
            if (machine.requeue(task.id())) {
              requeued(task, "no translator took it (" + err.getMessage() + ")");
            }
          });
    }
  }

  /** Running tasks whose translator went silent (its node died) run again, resumed; overdue ones fail. */
  private void checkRunning() {
    machine.requeueLost().forEach(task -> requeued(task, "its translator sent no heartbeat for "
        + QueueMachine.TRANSLATOR_LOST_MS / 1000 + " s"));
    machine.stopOverdue().forEach(task -> {
      bus.publish(Addresses.TRANSLATOR_CANCEL, new Internal.Cancel(task.id(), null, true).toJson());
      endedHere(task);
    });
  }

  private void requeued(TaskRecord task, String why) {
    store.save(task);
    if (task.paused) {
      // Its owner had asked to pause it: it waits paused, and clients hear so as after a pause.
      LOG.warn("Task {} is paused: {}", task.id(), why);
      bus.publish(Addresses.PROGRESS, views.taskPaused(task, seq.next()));
    } else {
      LOG.warn("Task {} goes back to the head of the queue: {}", task.id(), why);
    }
    publisher.changed(QueuePublisher.Change.STRUCTURAL);
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
      store.save(machine.find(seen.taskId())); // so a task resumed after a crash never shows less than it had
    }
    if (effect != QueueMachine.ProgressEffect.IGNORED) {
      publisher.changed(QueuePublisher.Change.PROGRESS);
    }
  }

  /** A translator reports the end of a task, before it publishes task_completed. */
  private JsonObject onReport(Internal.Report report) {
    QueueMachine.Ending ending = machine.report(report);
    TaskRecord task = ending.task();
    if (ending.accepted()) {
      // History first: the task dispatched next takes its prior pace from it.
      JsonObject entry = views.historyEntry(task, report);
      history.add(entry);
      ended(task);
      metrics.taskFinished(task.spec.engine(), task.status(), entry.getDouble("duration_seconds"));
      store.saveHistory(task, entry, config.queue().historyMaxTasks());
    }
    return new Internal.ReportAck(task.id(), task.status(), ending.accepted()).toJson();
  }

  private JsonObject cancel(Internal.TaskRef ref) {
    return cancel(ref, false);
  }

  private JsonObject cancel(Internal.TaskRef ref, boolean admin) {
    QueueMachine.CancelEffect effect = machine.cancel(ref.taskId(), ref.token(), admin);
    TaskRecord task = machine.find(ref.taskId());
    if (effect == QueueMachine.CancelEffect.CANCELLED) {
      endedHere(task);
      deleteFiles(task.spec);
    } else if (effect == QueueMachine.CancelEffect.ASK_TRANSLATOR) {
      bus.publish(Addresses.TRANSLATOR_CANCEL, new Internal.Cancel(task.id(), null, false).toJson());
      vertx.setTimer(CANCEL_GRACE_MS, id -> {
        if (machine.cancelTimedOut(task.id())) {
          LOG.warn("Translator did not confirm the cancel of {}; cancelling it here", task.id());
          endedHere(task);
        }
      });
    }
    return new JsonObject().put("task_id", task.id()).put("status", task.finished() ? task.status() : "cancelling");
  }

  /** No translator announces this end, so the queue does. */
  private void endedHere(TaskRecord task) {
    ended(task);
    bus.publish(Addresses.PROGRESS, views.endedHere(task, seq.next()));
  }

  private void ended(TaskRecord task) {
    store.save(task);
    LOG.info("Task {} {} after {}s{}", task.id(), task.stage.wire(), String.format("%.1f", machine.durationSeconds(task)),
        task.error == null ? "" : ": " + task.error);
    dispatch();
    publisher.changed(QueuePublisher.Change.STRUCTURAL);
  }

  private void expireOldTasks() {
    long retentionMs = (long) (config.retentionHours() * 3_600_000L);
    if (retentionMs > 0) {
      store.expire(System.currentTimeMillis() - retentionMs).onSuccess(expired -> expired.forEach(spec -> {
        machine.expire(spec.taskId());
        deleteFiles(spec);
      }));
    }
  }

  private void deleteFiles(TaskSpec spec) {
    submission.files().delete(spec)
        .onFailure(err -> LOG.debug("Could not delete the files of {}: {}", spec.taskId(), err.getMessage()));
  }
}
