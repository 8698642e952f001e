package dev.translive.translator;

import dev.translive.bus.Addresses;
import dev.translive.bus.TaskSpec;
import dev.translive.engine.EngineRegistry;
import dev.translive.engine.TranslationEngine;
import dev.translive.format.DocumentFormat;
import dev.translive.format.FormatRegistry;
import dev.translive.ops.ServiceMetrics;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import dev.translive.store.Store;
import dev.translive.store.TaskFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's pipeline (fetch, extract, deduplicate, recall, translate, assemble, share) and its
 * progress, published on {@code translive.progress}. Lives on its translator's event loop; the
 * translator decides what its end means.
 */
final class TaskRun {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRun.class);
  /** Intermediate progress is published at most this often per task (stage changes always are). */
  private static final long PROGRESS_INTERVAL_MS = 100;

  /** What every run uses. */
  record Services(Vertx vertx, FormatRegistry formats, EngineRegistry engines, Store memory, TaskFiles files,
      ServiceMetrics metrics, SeqClock seq) {}

  /** Signals that a run was cancelled; not an error. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /** Signals that a run stopped at a batch boundary because its owner paused it; not an error. */
  static final class Paused extends RuntimeException {
    Paused() {
      super("paused", null, false, false);
    }
  }

  /** The document as extracted, its unique segments and what is known of their translations. */
  private record Plan(DocumentFormat.Extraction extraction, Deduplication dedup, String[] known, List<Integer> todo) {}

  /** Every segment's translation, ready to be written into the document. */
  private record Translated(DocumentFormat.Extraction extraction, List<String> all) {}

  final TaskSpec spec;
  final String displayName;
  final long startedAt = System.currentTimeMillis();
  private final Services services;
  private final EtaEstimator eta;
  private final Promise<Void> cancellation = Promise.promise();
  /** Completes when the owner pauses the task; the pump then drains at the next batch boundary. */
  private final Promise<Void> pausing = Promise.promise();
  /** Every batch's write to the translation memory; a pause ends only once they are all done. */
  private Future<?> remembered = Future.succeededFuture();
  private Stage stage = Stage.EXTRACTING;
  private double progress;
  private int completedSegments;
  private int uniqueSegments;
  private int cachedSegments;
  int translatedByEngine;
  private long translatingStartedAt;
  private long translatingEndedAt;
  private long lastPublished;
  private boolean cancelled;
  /** Dropped because another translator owns the task: ends with no report and no message. */
  boolean abandoned;

  /** @param progressFloor progress never goes backwards, even across a restart */
  TaskRun(Services services, TaskSpec spec, String displayName, double pace, double progressFloor) {
    this.services = services;
    this.spec = spec;
    this.displayName = displayName;
    this.progress = progressFloor;
    this.eta = new EtaEstimator(System::currentTimeMillis, pace, spec.totalSegments());
  }

  void cancel() {
    cancelled = true;
    cancellation.tryFail(new Cancelled());
  }

  void pause() {
    pausing.tryComplete();
  }

  double translateSeconds() {
    return translatingStartedAt == 0 ? 0 : ((translatingEndedAt == 0 ? System.currentTimeMillis() : translatingEndedAt)
        - translatingStartedAt) / 1000.0;
  }

  /** Runs the pipeline; fails with {@link Cancelled} when cancelled. */
  Future<Void> execute() {
    stage(Stage.EXTRACTING, 0.0, "Reading " + spec.format() + " document");
    DocumentFormat format = services.formats().forFilename(spec.filename());
    TranslationEngine engine = services.engines().get(spec.engine());
    Store.TranslationKey key = new Store.TranslationKey(engine.id(), engine.model(), spec.sourceLang(), spec.targetLang());
    return guarded(services.files().upload(spec))
        .compose(upload -> guarded(services.vertx().executeBlocking(() -> format.extract(upload), false)))
        .compose(extraction -> recall(key, extraction))
        .compose(plan -> translate(engine, key, plan).map(unique -> new Translated(plan.extraction(), plan.dedup().expand(unique))))
        .compose(translated -> {
          stage(Stage.ASSEMBLING, 0.95, "Writing the translated " + format.outputExtension(spec.format()));
          return guarded(services.vertx().executeBlocking(() -> {
            translated.extraction().write(translated.all(), services.files().localResult(spec), spec.bilingual());
            return null;
          }, false));
        })
        .compose(v -> services.files().shareResult(spec));
  }

  /** Deduplicates and looks every unique segment up in the translation memory. */
  private Future<Plan> recall(Store.TranslationKey key, DocumentFormat.Extraction extraction) {
    stage(Stage.DEDUPLICATING, 0.05, "Finding repeated and remembered segments");
    Deduplication dedup = Deduplication.of(extraction.segments());
    uniqueSegments = dedup.unique().size();
    return guarded(services.memory().recall(key, spec.taskId(), dedup.unique())).map(remembered -> {
      String[] known = new String[uniqueSegments];
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < uniqueSegments; i++) {
        known[i] = remembered.get(dedup.unique().get(i));
        if (known[i] == null) {
          todo.add(i);
        } else {
          cachedSegments++;
          completedSegments += dedup.occurrences(i);
        }
      }
      stage(Stage.TRANSLATING, 0.08, "Translating " + todo.size() + " of " + uniqueSegments + " unique segments ("
          + cachedSegments + " remembered, " + extraction.segments().size() + " in all)");
      return new Plan(extraction, dedup, known, todo);
    });
  }

  /** The unique segments' translations: the engine's for those not remembered, each batch remembered at once. */
  private Future<List<String>> translate(TranslationEngine engine, Store.TranslationKey key, Plan plan) {
    translatingStartedAt = System.currentTimeMillis();
    eta.translatingStarted(plan.todo().size());
    BatchPump pump = new BatchPump(BatchPump.Engine.of(engine, spec.sourceLang(), spec.targetLang()), plan.dedup().unique(),
        plan.known(), plan.todo(), (batch, sources, translated) -> {
          Map<String, String> learned = new LinkedHashMap<>();
          for (int j = 0; j < batch.size(); j++) {
            completedSegments += plan.dedup().occurrences(batch.get(j));
            learned.put(sources.get(j), translated.get(j));
          }
          // Remembered per batch, so a crash or retry never pays for these segments again.
          Future<?> write = services.memory().remember(key, spec.taskId(), learned)
              .onFailure(err -> LOG.warn("Cannot remember translations: {}", err.getMessage()));
          remembered = Future.join(remembered, write);
          translatedByEngine += batch.size();
          eta.completed(batch.size());
          double fraction = (cachedSegments + translatedByEngine) / (double) Math.max(1, uniqueSegments);
          progress(0.08 + 0.87 * fraction, "Translating segment " + completedSegments + "/" + spec.totalSegments());
        }, services.metrics());
    cancellation.future().onFailure(pump::stop);
    pausing.future().onSuccess(v -> pump.drain(new Paused()));
    return pump.run().onComplete(ar -> translatingEndedAt = System.currentTimeMillis())
        // A paused run ends once every finished batch is in the memory, so a crash right after never re-pays one.
        .recover(err -> err instanceof Paused ? remembered.transform(ar -> Future.failedFuture(err)) : Future.failedFuture(err));
  }

  /** A step's result (or failure), unless the task is cancelled first. */
  private <T> Future<T> guarded(Future<T> step) {
    Promise<T> outcome = Promise.promise();
    step.onComplete(outcome::tryComplete, outcome::tryFail);
    cancellation.future().onFailure(outcome::tryFail);
    return outcome.future();
  }

  private void stage(Stage next, double fraction, String description) {
    stage = next;
    publishProgress(fraction, description, true);
  }

  private void progress(double fraction, String description) {
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
    services.vertx().eventBus().publish(Addresses.PROGRESS, Messages.progressUpdate(services.seq().next(), spec.taskId(),
        new Messages.Progress(displayName, progress, stage, description, etaSeconds, completedSegments, spec.totalSegments(),
            uniqueSegments, cachedSegments, Math.max(0, uniqueSegments - cachedSegments - translatedByEngine))));
  }
}
