package dev.translive.queue;

import dev.translive.bus.ErrorCode;
import dev.translive.config.AppConfig;
import dev.translive.store.Store;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The answer to {@code translive.tasks.estimate} (and so {@code POST /api/estimate}): what a
 * document would cost and take before it is queued. The document is read as a submit would read
 * it, looked up in the translation memory (read only), priced where its engine has a price, and
 * deleted; the duration is its characters not remembered times the pace the queue would use, and
 * the start is the queue's wait simulation with the document at the back.
 */
public final class Estimates {
  /** Characters per token, roughly, for text in Latin scripts: an estimate, said to be one. */
  static final double CHARACTERS_PER_TOKEN = 4.0;

  private final AppConfig config;
  private final Store memory;
  private final QueueMachine machine;
  private final Submission submission;

  Estimates(AppConfig config, Store memory, QueueMachine machine, Submission submission) {
    this.config = config;
    this.memory = memory;
    this.machine = machine;
    this.submission = submission;
  }

  Future<JsonObject> estimate(Message<Object> msg) {
    return submission.measureFromBus(msg, config.upload().maxBytes(), config.dataDir().resolve("incoming"))
        .compose(measured -> memory.recall(Store.TranslationKey.of(measured.engine().id(), measured.engine().model(),
            measured.spec().sourceLang(), measured.spec().targetLang(), measured.spec().client(), config.memoryShared())
            .withGlossary(dev.translive.translator.Glossary.fromText(measured.spec().glossary()).hash()),
            measured.unique())
            .map(known -> estimate(measured, known)));
  }

  private JsonObject estimate(TaskIntake.Measured measured, Map<String, String> known) {
    int cached = 0;
    long toTranslate = 0;
    for (String segment : measured.unique()) {
      if (known.containsKey(segment)) {
        cached++;
      } else {
        toTranslate += segment.length();
      }
    }
    var spec = measured.spec();
    long tokens = tokens(spec.characters());
    return new JsonObject()
        .put("filename", spec.filename())
        .put("segments", spec.totalSegments())
        .put("unique_segments", measured.unique().size())
        .put("cached_segments", cached)
        .put("characters", spec.characters())
        .put("tokens", tokens)
        .put("engine", spec.engine())
        .put("duration_seconds", round(machine.estimatedDuration(spec, toTranslate, measured.unique().size() - cached)))
        .put("start_in_seconds", round(machine.startInForNew()))
        .put("cost", cost(config.engineSettings(spec.engine()), toTranslate));
  }

  /**
   * A bus submit with a {@code max_cost} header (or JSON field) is refused (400) when the document's
   * estimated cost is over it; without one, or on an engine with no price, it passes.
   */
  Future<Void> withinMaxCost(Message<Object> msg) {
    String field = msg.body() instanceof JsonObject json && json.getValue("max_cost") != null
        ? String.valueOf(json.getValue("max_cost")) : msg.headers().get("max_cost");
    Double limit;
    try {
      limit = maxCost(field);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (limit == null) {
      return Future.succeededFuture();
    }
    return estimate(msg).compose(estimate -> {
      String over = overMaxCost(estimate, limit);
      return over == null ? Future.<Void>succeededFuture()
          : Future.<Void>failedFuture(ErrorCode.BAD_REQUEST.error(over + " (estimate: " + estimate.encode() + ")"));
    });
  }

  /**
   * The {@code max_cost} a client sent, null when it sent none.
   *
   * @throws dev.translive.bus.TransliveException (400) when it is not a number of at least 0
   */
  public static Double maxCost(String field) {
    if (field == null || field.isBlank()) {
      return null;
    }
    try {
      double value = Double.parseDouble(field.trim());
      if (value >= 0 && !Double.isInfinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ErrorCode.BAD_REQUEST.error("max_cost must be a number of at least 0");
  }

  /** Why an estimate is over {@code maxCost}, or null when it is not (no price: no cost). */
  public static String overMaxCost(JsonObject estimate, double maxCost) {
    JsonObject cost = estimate.getJsonObject("cost");
    if (cost == null || cost.getDouble("amount", 0.0) <= maxCost) {
      return null;
    }
    return "'" + estimate.getString("filename") + "' would cost about " + cost.getDouble("amount") + " "
        + cost.getString("currency") + ", more than max_cost " + maxCost + "; nothing was queued";
  }

  static long tokens(long characters) {
    return (long) Math.ceil(characters / CHARACTERS_PER_TOKEN);
  }

  /**
   * The price of translating {@code characters} with an engine's configured prices
   * ({@code pricePerMillionChars}, {@code pricePerMillionInputTokens}, {@code pricePerMillionOutputTokens},
   * in {@code currency}, USD by default; the output is taken to be as long as the input); null when it has none.
   */
  static JsonObject cost(JsonObject engine, long characters) {
    Double perChars = engine.getDouble("pricePerMillionChars");
    Double perInput = engine.getDouble("pricePerMillionInputTokens");
    Double perOutput = engine.getDouble("pricePerMillionOutputTokens");
    if (perChars == null && perInput == null && perOutput == null) {
      return null;
    }
    long tokens = tokens(characters);
    double amount = (perChars == null ? 0 : characters * perChars) + (perInput == null ? 0 : tokens * perInput)
        + (perOutput == null ? 0 : tokens * perOutput);
    return new JsonObject().put("amount", Math.round(amount / 1e6 * 10_000) / 10_000.0)
        .put("currency", engine.getString("currency", "USD"));
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }
}
