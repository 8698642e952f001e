package dev.translive.engine;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A translation backend: a batch of segments in, the same number of translations out, asynchronously.
 * Implementations never block the calling event loop.
 */
public interface TranslationEngine {

  /** Stable id used in config, uploads and the translation memory key ("apertium", "demo", ...). */
  String id();

  /** Model or variant, part of the translation memory key; "" when the engine has none. */
  default String model() {
    return "";
  }

  /** Whether the engine can translate right now (binary installed, URL configured, ...). */
  boolean available();

  /** Why the engine is unavailable, for /api/engines; null when available. */
  default String unavailableReason() {
    return null;
  }

  /** Language pairs as ISO 639-1 codes. */
  List<LanguagePair> languagePairs();

  default boolean supports(String sourceLang, String targetLang) {
    return languagePairs().contains(new LanguagePair(sourceLang, targetLang));
  }

  /** Segments per {@link #translate} call the translator should send. */
  default int batchSize() {
    return 20;
  }

  /** Calls the translator may keep in flight at once for one task. */
  default int maxInFlight() {
    return 1;
  }

  /** A hint of seconds per segment before any history exists, or null when unknown. */
  default Double nominalSecondsPerSegment() {
    return null;
  }

  /** Translates {@code segments}; the result has the same size and order. */
  Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang);

  /**
   * Translates {@code segments} with {@code glossary}'s terms: by default each source term is
   * replaced by an inline tag the engine carries through and the target term put in its place after
   * ({@link dev.translive.translator.Glossary#protect}); the same for every engine.
   */
  default Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang,
      dev.translive.translator.Glossary glossary) {
    if (glossary == null || glossary.isEmpty()) {
      return translate(segments, sourceLang, targetLang);
    }
    dev.translive.translator.Glossary.Protected sent = glossary.protect(segments);
    return translate(sent.segments(), sourceLang, targetLang).map(sent::restore);
  }

  /** Description for /api/engines. */
  default JsonObject describe() {
    JsonObject json = new JsonObject()
        .put("id", id())
        .put("available", available())
        .put("model", model().isEmpty() ? null : model());
    if (!available()) {
      json.put("reason", unavailableReason());
    }
    json.put("pairs", new io.vertx.core.json.JsonArray(
        languagePairs().stream().map(p -> new JsonObject().put("source", p.source()).put("target", p.target())).toList()));
    return json;
  }

  /**
   * Prepares the engine without blocking, e.g. fetches a remote pair list; called once after
   * creation. Failures are not fatal: the engine still reports what it knows.
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
