package dev.translive.translator;

import dev.translive.bus.Addresses;
import dev.translive.bus.Internal;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import dev.translive.engine.EngineRegistry;
import dev.translive.engine.TranslationEngine;
import dev.translive.format.DocumentFormat;
import dev.translive.format.FormatException;
import dev.translive.format.FormatRegistry;
import dev.translive.ops.ServiceMetrics;
import dev.translive.bus.TaskSpec;
import dev.translive.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
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
  /** Intermediate progress is published at most this often per task (stage changes always are). */
  private static final long PROGRESS_INTERVAL_MS = 100;

  private final EngineRegistry engines;
  private final FormatRegistry formats;
  private final SeqClock seq;
  private final Store memory;
  private final dev.translive.store.TaskFiles files;
  private final ServiceMetrics metrics;
  private final Map<String, TaskRun> runs = new LinkedHashMap<>();
  /** Finished tasks whose report the queue owner has not acknowledged yet; still claimed in heartbeats. */
  private final Map<String, Internal.Report> unreported = new LinkedHashMap<>();
  private final String translatorId = "tr-" + java.util.UUID.randomUUID();
  private boolean stopping;

  /** @param memory where translations are remembered, so a repeated or resumed task pays only for new segments */
  public TranslatorVerticle(EngineRegistry engines, FormatRegistry formats, Store memory, dev.translive.store.TaskFiles files,
      SeqClock seq, ServiceMetrics metrics) {
    this.files = files;
    this.metrics = metrics;
    this.engines = engines;
    this.memory = memory;
    this.formats = formats;
    this.seq = seq;
  }

  @Override
  public Future<?> start() {
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

  /** Signals that a run was cancelled; not an error. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /** {@code order.displayName()} is what clients see as the file name (a label when file names are hidden). */
  private void run(Internal.Run order) {
    TaskSpec spec = order.spec();
    String displayName = order.displayName();
    boolean resumed = order.resumed();
    TaskRun run = new TaskRun(spec, displayName, order.pace());
    run.progress = order.progress(); // progress never goes backwards, even across a restart
    runs.put(spec.taskId(), run);
    LOG.info("Task {} {}", spec.taskId(), resumed ? "resumed" : "started");
    publish(Messages.taskStarted(seq.next(), spec.taskId(), displayName, spec.totalSegments(), resumed));
    run.stage(Stage.EXTRACTING, 0.0, "Reading " + spec.format() + " document");
    Future.<Void>future(promise -> run.execute().onComplete(promise))
        .map(v -> new Outcome(Stage.COMPLETED, "Translation completed", null))
        .recover(err -> Future.succeededFuture(err instanceof Cancelled
            ? new Outcome(Stage.CANCELLED, "Cancelled", "cancelled by the user")
            : new Outcome(Stage.FAILED, "Translation failed: " + reason(err), reason(err))))
        .onSuccess(outcome -> {
          if (stopping || run.abandoned) {
            runs.remove(spec.taskId());
          } else {
            finish(run, outcome);
          }
        });
  }

  private record Outcome(Stage stage, String message, String error) {}

  private void heartbeat() {
    vertx.eventBus().publish(Addresses.TRANSLATOR_HEARTBEAT,
        new Internal.Heartbeat(translatorId, List.copyOf(runs.keySet()), List.copyOf(unreported.keySet())).toJson());
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
        translatorId, run.translatedByEngine, run.translateSeconds());
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

  /** One task's pipeline and its progress state. Lives on this verticle's event loop. */
  private final class TaskRun {
    final TaskSpec spec;
    final String displayName;
    final long startedAt = System.currentTimeMillis();
    final EtaEstimator eta;
    final Promise<Void> cancellation = Promise.promise();
    Stage stage = Stage.EXTRACTING;
    double progress;
    int completedSegments;
    int uniqueSegments;
    int cachedSegments;
    int translatedByEngine;
    long translatingStartedAt;
    long translatingEndedAt;
    long lastPublished;
    boolean cancelled;
    /** Dropped because another translator owns the task: ends with no report and no message. */
    boolean abandoned;

    TaskRun(TaskSpec spec, String displayName, double pace) {
      this.spec = spec;
      this.displayName = displayName;
      this.eta = new EtaEstimator(System::currentTimeMillis, pace, spec.totalSegments());
    }

    void cancel() {
      cancelled = true;
      cancellation.tryFail(new Cancelled());
    }

    double translateSeconds() {
      return translatingStartedAt == 0 ? 0 : ((translatingEndedAt == 0 ? System.currentTimeMillis() : translatingEndedAt)
          - translatingStartedAt) / 1000.0;
    }

    Future<Void> execute() {
      DocumentFormat format = formats.forFilename(spec.filename());
      TranslationEngine engine = engines.get(spec.engine());
      Store.TranslationKey key = new Store.TranslationKey(engine.id(), engine.model(), spec.sourceLang(), spec.targetLang());
      Path result = files.localResult(spec);
      return guarded(files.upload(spec))
          .compose(upload -> guarded(vertx.executeBlocking(() -> format.extract(upload), false)))
          .compose(extraction -> {
            stage(Stage.DEDUPLICATING, 0.05, "Finding repeated and remembered segments");
            Deduplication dedup = Deduplication.of(extraction.segments());
            uniqueSegments = dedup.unique().size();
            return guarded(memory.recall(key, dedup.unique()))
                .compose(remembered -> {
                  String[] results = new String[uniqueSegments];
                  List<Integer> todo = new ArrayList<>();
                  for (int i = 0; i < uniqueSegments; i++) {
                    results[i] = remembered.get(dedup.unique().get(i));
                    if (results[i] == null) {
                      todo.add(i);
                    } else {
                      cachedSegments++;
                      completedSegments += dedup.occurrences(i);
                    }
                  }
                  stage(Stage.TRANSLATING, 0.08, "Translating " + todo.size() + " of " + uniqueSegments + " unique segments ("
                      + cachedSegments + " remembered, " + extraction.segments().size() + " in all)");
                  return translate(engine, key, dedup, results, todo);
                })
                .compose(unique -> {
                  stage(Stage.ASSEMBLING, 0.95, "Writing the translated " + format.outputExtension(spec.format()));
                  List<String> all = dedup.expand(unique);
                  return guarded(vertx.executeBlocking(() -> {
                    extraction.write(all, result, spec.bilingual());
                    return null;
                  }, false)).compose(v -> files.shareResult(spec));
                });
          })
          .mapEmpty();
    }

    /** A step's result (or failure), unless the task is cancelled first. */
    private <T> Future<T> guarded(Future<T> step) {
      Promise<T> outcome = Promise.promise();
      step.onComplete(outcome::tryComplete, outcome::tryFail);
      cancellation.future().onFailure(outcome::tryFail);
      return outcome.future();
    }

    private Future<List<String>> translate(TranslationEngine engine, Store.TranslationKey key, Deduplication dedup,
        String[] results, List<Integer> todo) {
      int batchSize = Math.max(1, engine.batchSize());
      List<List<Integer>> batches = new ArrayList<>();
      for (int from = 0; from < todo.size(); from += batchSize) {
        batches.add(todo.subList(from, Math.min(todo.size(), from + batchSize)));
      }
      translatingStartedAt = System.currentTimeMillis();
      eta.translatingStarted(todo.size());
      Promise<List<String>> done = Promise.promise();
      cancellation.future().onFailure(done::tryFail);
      new BatchPump(engine, key, dedup, results, batches, done).pump();
      return done.future().onComplete(ar -> translatingEndedAt = System.currentTimeMillis());
    }

    /** Keeps up to the engine's maxInFlight batches outstanding until all are translated. */
    private final class BatchPump {
      final TranslationEngine engine;
      final Store.TranslationKey key;
      final Deduplication dedup;
      final String[] results;
      final List<List<Integer>> batches;
      final Promise<List<String>> done;
      int next;
      int inFlight;

      BatchPump(TranslationEngine engine, Store.TranslationKey key, Deduplication dedup, String[] results,
          List<List<Integer>> batches, Promise<List<String>> done) {
        this.engine = engine;
        this.key = key;
        this.dedup = dedup;
        this.results = results;
        this.batches = batches;
        this.done = done;
      }

      void pump() {
        if (next == batches.size() && inFlight == 0) {
          done.tryComplete(List.of(results));
          return;
        }
        while (!cancelled && !done.future().isComplete() && inFlight < Math.max(1, engine.maxInFlight()) && next < batches.size()) {
          List<Integer> batch = batches.get(next++);
          List<String> sources = batch.stream().map(i -> dedup.unique().get(i)).toList();
          inFlight++;
          long callStarted = System.nanoTime();
          engine.translate(sources, spec.sourceLang(), spec.targetLang())
              .onComplete(ar -> metrics.engineCall(engine.id(), System.nanoTime() - callStarted, ar.failed()))
              .onSuccess(translated -> {
                inFlight--;
                if (done.future().isComplete()) {
                  return; // cancelled or already failed: this batch's work is abandoned
                }
                if (translated.size() != sources.size()) {
                  done.tryFail(new IllegalStateException(engine.id() + " returned " + translated.size()
                      + " translations for " + sources.size() + " segments"));
                  return;
                }
                Map<String, String> learned = new LinkedHashMap<>();
                for (int j = 0; j < batch.size(); j++) {
                  results[batch.get(j)] = translated.get(j);
                  completedSegments += dedup.occurrences(batch.get(j));
                  learned.put(sources.get(j), translated.get(j));
                }
                // Remembered per batch, so a crash or retry never pays for these segments again.
                memory.remember(key, learned).onFailure(err -> LOG.warn("Cannot remember translations: {}", err.getMessage()));
                translatedByEngine += batch.size();
                eta.completed(batch.size());
                double fraction = (cachedSegments + translatedByEngine) / (double) Math.max(1, uniqueSegments);
                progress(0.08 + 0.87 * fraction, "Translating segment " + completedSegments + "/" + spec.totalSegments());
                pump();
              })
              .onFailure(err -> {
                inFlight--;
                done.tryFail(err);
              });
        }
      }
    }

    void stage(Stage next, double fraction, String description) {
      stage = next;
      publishProgress(fraction, description, true);
    }

    void progress(double fraction, String description) {
      publishProgress(fraction, description, false);
    }

    private void publishProgress(double fraction, String description, boolean force) {
      if (cancelled) {
        return;
      }
      progress = Math.max(progress, Math.min(1.0, fraction));
      long now = System.currentTimeMillis();
      if (!force && now - lastPublished < PROGRESS_INTERVAL_MS && completedSegments < spec.totalSegments()) {
        return;
      }
      lastPublished = now;
      Double etaSeconds = stage == Stage.ASSEMBLING ? 0.0 : eta.eta();
      publish(Messages.progressUpdate(seq.next(), spec.taskId(), new Messages.Progress(displayName, progress, stage,
          description, etaSeconds, completedSegments, spec.totalSegments(), uniqueSegments, cachedSegments,
          Math.max(0, uniqueSegments - cachedSegments - translatedByEngine))));
    }
  }
}
