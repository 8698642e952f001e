package dev.translive.translator;

import dev.translive.bus.Addresses;
import dev.translive.bus.Internal;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import dev.translive.engine.EngineRegistry;
import dev.translive.format.FormatException;
import dev.translive.format.FormatRegistry;
import dev.translive.ops.ServiceMetrics;
import dev.translive.bus.TaskSpec;
import dev.translive.store.Store;
import dev.translive.store.TaskFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks handed over by the queue owner through extracting, deduplicating, translating and
 * assembling, and publishes their lifecycle and progress on {@code translive.progress}. Every task
 * ends with exactly one task_completed: completed, failed with the reason, or cancelled.
 */
public final class TranslatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TranslatorVerticle.class);
  /** How often the queue owner hears which tasks this translator holds. */
  static final long HEARTBEAT_MS = 2000;
  /** A finished task is reported until the queue owner (perhaps a new one after failover) acknowledges. */
  private static final long REPORT_RETRY_MS = 1000;
  private static final int REPORT_ATTEMPTS = 120;

  private final EngineRegistry engines;
  /** memory.scope is "shared": remembered translations serve every submitter. */
  private final boolean sharedMemory;
  private final FormatRegistry formats;
  private final SeqClock seq;
  private final Store memory;
  private final TaskFiles files;
  private final ServiceMetrics metrics;
  private TaskRun.Services services;
  private final Map<String, TaskRun> runs = new LinkedHashMap<>();
  /** Finished tasks whose report the queue owner has not acknowledged yet; still claimed in heartbeats. */
  private final Map<String, Internal.Report> unreported = new LinkedHashMap<>();
  private final String translatorId = "tr-" + java.util.UUID.randomUUID();
  private boolean stopping;

  /** @param memory where translations are remembered, so a repeated or resumed task pays only for new segments */
  public TranslatorVerticle(EngineRegistry engines, FormatRegistry formats, Store memory, TaskFiles files,
      SeqClock seq, ServiceMetrics metrics,
      boolean sharedMemory) {
    this.sharedMemory = sharedMemory;
    this.files = files;
    this.metrics = metrics;
    this.engines = engines;
    this.memory = memory;
    this.formats = formats;
    this.seq = seq;
  }

  @Override
  public Future<?> start() {
    services = new TaskRun.Services(vertx, formats, engines, memory, files, metrics, seq, sharedMemory);
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSLATOR_RUN, msg -> {
      Internal.Run run = Internal.Run.fromJson(msg.body());
      msg.reply(new Internal.RunAccepted(translatorId).toJson());
      if (!runs.containsKey(run.spec().taskId())) { // else a repeated hand-off of a task this translator already runs
        run(run);
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSLATOR_CANCEL, msg -> {
      Internal.Cancel cancel = Internal.Cancel.fromJson(msg.body());
      if (cancel.translator() != null && !cancel.translator().equals(translatorId)) {
        return;
      }
      TaskRun run = runs.get(cancel.taskId());
      if (cancel.abandon()) {
        // Another translator owns the task (or it ended): drop it without a word.
        unreported.remove(cancel.taskId());
        if (run != null) {
          run.abandoned = true;
          run.cancel();
        }
      } else if (run != null) {
        run.cancel();
      }
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSLATOR_PAUSE, msg -> {
      TaskRun run = runs.get(Internal.Pause.fromJson(msg.body()).taskId());
      if (run != null) {
        run.pause();
      }
    });
    vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
    return Future.succeededFuture();
  }

  /**
   * Abandons running tasks without ending them: they stay running in the store, so the queue owner
   * runs them again after a restart (reusing the translation memory) instead of reporting a cancel
   * nobody asked for.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    List.copyOf(runs.values()).forEach(TaskRun::cancel);
    return Future.succeededFuture();
  }

  /** {@code order.displayName()} is what clients see as the file name (a label when file names are hidden). */
  private void run(Internal.Run order) {
    TaskSpec spec = order.spec();
    String displayName = order.displayName();
    boolean resumed = order.resumed();
    TaskRun run = new TaskRun(services, spec, displayName, order.pace(), order.secondsPerCharacter(), order.progress());
    runs.put(spec.taskId(), run);
    LOG.info("Task {} {}", spec.taskId(), resumed ? "resumed" : "started");
    publish(Messages.taskStarted(seq.next(), spec.taskId(), displayName, spec.totalSegments(), resumed));
    Future.<Void>future(promise -> run.execute().onComplete(promise))
        .map(v -> new Outcome(Stage.COMPLETED, "Translation completed", null))
        .recover(err -> Future.succeededFuture(err instanceof TaskRun.Paused ? PAUSED : err instanceof TaskRun.Cancelled
            ? new Outcome(Stage.CANCELLED, "Cancelled", "cancelled by the user")
            : new Outcome(Stage.FAILED, "Translation failed: " + reason(err), reason(err))))
        .onSuccess(outcome -> {
          if (stopping || run.abandoned) {
            runs.remove(spec.taskId());
          } else if (outcome == PAUSED) {
            paused(run);
          } else {
            finish(run, outcome);
          }
        });
  }

  private record Outcome(Stage stage, String message, String error) {}

  /** Not an end: the owner paused the task and the queue owner takes it back. */
  private static final Outcome PAUSED = new Outcome(null, "Paused", null);

  /**
   * Hands a paused task back to the queue owner. If that answer is lost, the task is missing from
   * the heartbeats and the owner runs it again later, reusing the memory.
   */
  private void paused(TaskRun run) {
    runs.remove(run.spec.taskId());
    LOG.info("Task {} paused", run.spec.taskId());
    vertx.eventBus().request(Addresses.QUEUE_PAUSED, new Internal.Paused(run.spec.taskId(), translatorId).toJson())
        .onFailure(err -> LOG.warn("Queue owner did not take the pause of {}: {}", run.spec.taskId(), err.getMessage()));
  }

  private void heartbeat() {
    vertx.eventBus().publish(Addresses.TRANSLATOR_HEARTBEAT,
        new Internal.Heartbeat(translatorId, List.copyOf(runs.keySet()), List.copyOf(unreported.keySet()), livePaces()).toJson());
  }

  /** Each running task's measured pace: the queue's best prior for the tasks of its engine waiting behind it. */
  private java.util.Map<String, Double> livePaces() {
    java.util.Map<String, Double> paces = new java.util.HashMap<>();
    runs.forEach((id, run) -> {
      Double pace = run.livePace();
      if (pace != null) {
        paces.put(id, pace);
      }
    });
    return paces;
  }

  /** Reports until acknowledged: after a failover the new queue owner must still learn the outcome. */
  private Future<Void> report(Internal.Report report, int attempt) {
    return reportOnce(report)
        .<Void>mapEmpty()
        .recover(err -> {
          if (attempt >= REPORT_ATTEMPTS) {
            LOG.error("Queue owner never acknowledged the end of {}: {}", report.taskId(), err.getMessage());
            return Future.failedFuture(err);
          }
          return vertx.timer(REPORT_RETRY_MS).compose(v -> report(report, attempt + 1));
        });
  }

  /** One report; the answer says whether the owner took it (it declines a task that ended or runs elsewhere). */
  private Future<Boolean> reportOnce(Internal.Report report) {
    return vertx.eventBus().<JsonObject>request(Addresses.QUEUE_FINISHED, report.toJson(), new DeliveryOptions().setSendTimeout(5_000))
        .map(ack -> Internal.ReportAck.fromJson(ack.body()).accepted());
  }

  private void finish(TaskRun run, Outcome outcome) {
    runs.remove(run.spec.taskId());
    if (outcome.stage() == Stage.FAILED) {
      LOG.warn("Task {} failed: {}", run.spec.taskId(), outcome.error());
    }
    double duration = (System.currentTimeMillis() - run.startedAt) / 1000.0;
    Internal.Report report = new Internal.Report(run.spec.taskId(), outcome.stage(), outcome.message(), outcome.error(),
        translatorId, run.translatedByEngine, run.translateSeconds(), run.translatedCharacters,
        run.throughputSeconds());
    // The queue learns first, so a client that reacts to task_completed finds the result ready;
    // task_completed goes out after the first attempt either way, so clients never wait on a failover.
    String taskId = run.spec.taskId();
    unreported.put(taskId, report);
    reportOnce(report)
        .onSuccess(accepted -> unreported.remove(taskId))
        .recover(err -> {
          // No owner right now (failover): announce anyway, and keep reporting until one takes it.
          LOG.warn("Queue owner did not acknowledge the end of {} yet: {}", taskId, err.getMessage());
          report(report, 1).onComplete(ar -> unreported.remove(taskId));
          return Future.succeededFuture(true);
        })
        .onSuccess(accepted -> {
          if (accepted) {
            publish(Messages.taskCompleted(seq.next(), taskId, run.displayName, outcome.stage(), outcome.message(), duration));
          }
        });
  }

  private void publish(JsonObject message) {
    vertx.eventBus().publish(Addresses.PROGRESS, message);
  }

  private static String reason(Throwable err) {
    if (err instanceof FormatException) {
      return err.getMessage();
    }
    if (err instanceof java.io.IOException) {
      // An I/O message alone is often just a path; say what kind of failure it was.
      return "could not read or write the document (" + err.getClass().getSimpleName() + ")";
    }
    String message = err.getMessage();
    return message == null || message.isBlank() ? err.getClass().getSimpleName() : message;
  }
}
