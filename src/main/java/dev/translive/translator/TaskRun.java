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
import io.vertx.core.json.JsonObject;
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
  /** The most progress shown before the task is completed. */
  private static final double MAX_BEFORE_DONE = 0.99;

  /** What every run uses. */
  record Services(Vertx vertx, FormatRegistry formats, EngineRegistry engines, Store memory, TaskFiles files,
      ServiceMetrics metrics, SeqClock seq, boolean sharedMemory) {}

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
  long translatedCharacters;
  private long uniqueCharacters;
  private long cachedCharacters;
  /** Seconds per segment the queue assumed; the prior per character when none was known per character. */
  private final double secondsPerSegment;
  private final boolean perCharacterPriorKnown;
  private long translatingStartedAt;
  private long translatingEndedAt;
  private long lastPublished;
  private boolean cancelled;
  /** Dropped because another translator owns the task: ends with no report and no message. */
  boolean abandoned;

  /**
   * @param pace the queue's seconds per segment for this engine (nominal or configured)
   * @param secondsPerCharacter the queue's pace per character for this task, 0 when it knows none
   * @param progressFloor progress never goes backwards, even across a restart
   */
  TaskRun(Services services, TaskSpec spec, String displayName, double pace, double secondsPerCharacter, double progressFloor) {
    this.services = services;
    this.spec = spec;
    this.displayName = displayName;
    this.progress = progressFloor;
    this.secondsPerSegment = pace;
    this.perCharacterPriorKnown = secondsPerCharacter > 0 && spec.characters() > 0;
    long characters = Math.max(1, spec.characters());
    this.eta = new EtaEstimator(System::currentTimeMillis,
        perCharacterPriorKnown ? secondsPerCharacter : pace * spec.totalSegments() / characters, characters);
    eta.prior(perCharacterPriorKnown ? secondsPerCharacter : pace * spec.totalSegments() / characters, perCharacterPriorKnown);
  }

  double throughputSeconds() {
    return eta.throughputSeconds();
  }

  /** The pace this task measures (seconds per character), null until it has measured. */
  Double livePace() {
    return eta.livePace();
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
    Glossary glossary = Glossary.fromText(spec.glossary());
    Store.TranslationKey key = Store.TranslationKey.of(engine.id(), engine.model(), spec.sourceLang(), spec.targetLang(),
        spec.client(), services.sharedMemory()).withGlossary(glossary.hash());
    return guarded(services.files().upload(spec))
        .compose(upload -> guarded(services.vertx().executeBlocking(() -> format.extract(upload, extracting()), false)))
        .compose(extraction -> recall(key, extraction))
        .compose(plan -> translate(engine, key, plan).map(unique -> new Translated(plan.extraction(), plan.dedup().expand(unique))))
        .compose(translated -> {
          stage(Stage.ASSEMBLING, MAX_BEFORE_DONE, "Writing the translated " + format.outputExtension(spec.format()));
          return guarded(services.vertx().executeBlocking(() -> {
            translated.extraction().write(translated.all(), services.files().localResult(spec), spec.bilingual());
            return null;
          }, false));
        })
        .compose(v -> services.files().shareResult(spec));
  }

  /** Progress inside the extracting stage (text recognition, page by page), published from this task's context. */
  private DocumentFormat.Progress extracting() {
    io.vertx.core.Context context = services.vertx().getOrCreateContext();
    return (done, total, description) -> context.runOnContext(v -> progress(0.05 * done / Math.max(1, total), description));
  }

  /** Deduplicates and looks every unique segment up in the translation memory. */
  private Future<Plan> recall(Store.TranslationKey key, DocumentFormat.Extraction extraction) {
    stage(Stage.DEDUPLICATING, 0.0, "Finding repeated and remembered segments");
    Deduplication dedup = Deduplication.of(extraction.segments());
    uniqueSegments = dedup.unique().size();
    uniqueCharacters = dedup.characters();
    return guarded(services.memory().recall(key, spec.taskId(), dedup.unique())).map(remembered -> {
      String[] known = new String[uniqueSegments];
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < uniqueSegments; i++) {
        known[i] = remembered.get(dedup.unique().get(i));
        if (known[i] == null) {
          todo.add(i);
        } else {
          cachedSegments++;
          cachedCharacters += dedup.unique().get(i).length();
          completedSegments += dedup.occurrences(i);
        }
      }
      stage(Stage.TRANSLATING, charactersDone(), "Translating " + todo.size() + " of " + uniqueSegments + " unique segments ("
          + cachedSegments + " remembered, " + extraction.segments().size() + " in all)");
      return new Plan(extraction, dedup, known, todo);
    });
  }

  /** The unique segments' translations: the engine's for those not remembered, each batch remembered at once. */
  private Future<List<String>> translate(TranslationEngine engine, Store.TranslationKey key, Plan plan) {
    translatingStartedAt = System.currentTimeMillis();
    if (!perCharacterPriorKnown) {
      eta.prior(secondsPerSegment * spec.totalSegments() / Math.max(1, uniqueCharacters), false);
    }
    eta.translatingStarted(uniqueCharacters - cachedCharacters);
    BatchPump[] pump = new BatchPump[1];
    int parallel = Math.max(1, Math.min(engine.maxInFlight(), (plan.todo().size() + engine.batchSize() - 1) / Math.max(1, engine.batchSize())));
    pump[0] = new BatchPump(BatchPump.Engine.of(engine, spec.sourceLang(), spec.targetLang(),
        Glossary.fromText(spec.glossary())), plan.dedup().unique(),
        plan.known(), plan.todo(), (batch, sources, translated) -> {
          Map<String, String> learned = new LinkedHashMap<>();
          long characters = 0;
          for (int j = 0; j < batch.size(); j++) {
            completedSegments += plan.dedup().occurrences(batch.get(j));
            learned.put(sources.get(j), translated.get(j));
            characters += sources.get(j).length();
          }
          // Remembered per batch, so a crash or retry never pays for these segments again.
          Future<?> write = services.memory().remember(key, spec.taskId(), learned)
              .onFailure(err -> LOG.warn("Cannot remember translations: {}", err.getMessage()));
          remembered = Future.join(remembered, write);
          translatedByEngine += batch.size();
          translatedCharacters += characters;
          eta.completed(characters, pump[0].lastCallSeconds(), parallel);
          progress(charactersDone(), "Translating segment " + completedSegments + "/" + spec.totalSegments());
        }, services.metrics());
    cancellation.future().onFailure(pump[0]::stop);
    pausing.future().onSuccess(v -> pump[0].drain(new Paused()));
    return pump[0].run().onComplete(ar -> translatingEndedAt = System.currentTimeMillis())
        // A paused run ends once every finished batch is in the memory, so a crash right after never re-pays one.
        .recover(err -> err instanceof Paused ? remembered.transform(ar -> Future.failedFuture(err)) : Future.failedFuture(err));
  }

  /**
   * Progress is the share of the document's (unique) characters translated or remembered: what
   * takes the time, and what a user can check against the counts. Extracting and writing are
   * short next to translating, so they get no share of their own; only completion shows 100%.
   */
  private double charactersDone() {
    return Math.min(MAX_BEFORE_DONE, (cachedCharacters + translatedCharacters) / (double) Math.max(1, uniqueCharacters));
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
    JsonObject message = Messages.progressUpdate(services.seq().next(), spec.taskId(),
        new Messages.Progress(displayName, progress, stage, description, etaSeconds, completedSegments, spec.totalSegments(),
            uniqueSegments, cachedSegments, Math.max(0, uniqueSegments - cachedSegments - translatedByEngine)));
    if (stage != Stage.ASSEMBLING && eta.low() != null) {
      // Contract extension of 2026-11-29: the range while the estimate is uncertain.
      message.getJsonObject("data").put("eta_low", eta.low()).put("eta_high", eta.high());
    }
    services.vertx().eventBus().publish(Addresses.PROGRESS, message);
  }
}
