package dev.translive.engine.http;

import dev.translive.engine.AbstractEngine;
import dev.translive.engine.CommonLanguages;
import dev.translive.engine.LanguagePair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Common ground of the remote engines: settings, availability, the shared {@link HttpEngineSupport},
 * the batch size and configured pairs, blank-segment pass-through and splitting a call into
 * request-sized chunks that run in parallel under the throttle.
 */
public abstract class AbstractHttpEngine extends AbstractEngine {
  protected final Vertx vertx;
  protected final SettingsReader settings;
  protected final HttpEngineSettings http;
  protected final HttpEngineSupport support;

  /**
   * @param secretKey the settings key holding a credential (scrubbed from messages), or null
   */
  protected AbstractHttpEngine(Vertx vertx, String id, JsonObject rawSettings, int defaultConcurrency,
      long defaultTimeoutMs, int defaultBatchSize, String secretKey) {
    this(vertx, id, rawSettings, defaultConcurrency, 10, defaultTimeoutMs, defaultBatchSize, secretKey);
  }

  /**
   * @param defaultRequestsPerSecond 0 for no rate limit by default (concurrency alone bounds the load)
   */
  protected AbstractHttpEngine(Vertx vertx, String id, JsonObject rawSettings, int defaultConcurrency,
      double defaultRequestsPerSecond, long defaultTimeoutMs, int defaultBatchSize, String secretKey) {
    this(vertx, new SettingsReader(id, rawSettings), id, defaultConcurrency, defaultRequestsPerSecond,
        defaultTimeoutMs, defaultBatchSize, secretKey);
  }

  // The reader is made before the super call because batch size and pairs are settings too.
  private AbstractHttpEngine(Vertx vertx, SettingsReader settings, String id, int defaultConcurrency,
      double defaultRequestsPerSecond, long defaultTimeoutMs, int defaultBatchSize, String secretKey) {
    this(vertx, settings, HttpEngineSettings.read(settings, defaultConcurrency, defaultRequestsPerSecond,
        defaultTimeoutMs), id, defaultBatchSize, secretKey);
  }

  private AbstractHttpEngine(Vertx vertx, SettingsReader settings, HttpEngineSettings http, String id,
      int defaultBatchSize, String secretKey) {
    super(id, settings.integer("batchSize", defaultBatchSize, 1), configuredPairs(settings));
    this.vertx = vertx;
    this.settings = settings;
    this.http = http;
    this.support = new HttpEngineSupport(vertx, id, http, secretKey == null ? null : settings.string(secretKey));
  }

  /** The "languages" setting paired every way, or the common languages; engines that ask the server override. */
  private static List<LanguagePair> configuredPairs(SettingsReader settings) {
    List<String> languages = settings.stringList("languages");
    return CommonLanguages.allPairs(languages == null ? CommonLanguages.CODES : languages);
  }

  /** Why required settings are missing ("set TRANSLIVE_..."), or null when they are all present. */
  protected abstract String missingSettings();

  /** Segments sent in one HTTP request; by default a whole batch. */
  protected int requestChunkSize() {
    return batchSize();
  }

  /** Translates one request-sized chunk of non-blank segments; same size and order. */
  protected abstract Future<List<String>> translateChunk(List<String> segments, String sourceLang, String targetLang);

  /** One chunk with a glossary, for engines that call {@link #translateWith} with one; by default without it. */
  protected Future<List<String>> translateChunk(List<String> segments, String sourceLang, String targetLang,
      dev.translive.translator.Glossary glossary) {
    return translateChunk(segments, sourceLang, targetLang);
  }

  @Override
  public boolean available() {
    return missingSettings() == null && settings.problems().isEmpty();
  }

  @Override
  public String unavailableReason() {
    String missing = missingSettings();
    if (missing != null) {
      return missing;
    }
    List<String> problems = settings.problems();
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  @Override
  public int maxInFlight() {
    return http.maxConcurrency();
  }

  @Override
  public Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang) {
    return translateWith(segments, sourceLang, targetLang, null);
  }

  /**
   * As {@link #translate(List, String, String)}, each chunk sent with {@code glossary} (null for
   * none) to {@link #translateChunk(List, String, String, dev.translive.translator.Glossary)}: for
   * engines that apply a glossary themselves (an LLM's prompt) instead of by protected terms.
   */
  protected Future<List<String>> translateWith(List<String> segments, String sourceLang, String targetLang,
      dev.translive.translator.Glossary glossary) {
    if (!available()) {
      return Future.failedFuture(new EngineHttpException(id() + " is not available: " + unavailableReason(), false));
    }
    // Blank segments need no backend round trip and confuse some backends; they come back as they went.
    List<Integer> positions = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (segment != null && !segment.isBlank()) {
        positions.add(i);
        texts.add(segment);
      }
    }
    return translateInChunks(texts, sourceLang, targetLang, glossary).map(translated -> {
      List<String> result = new ArrayList<>(segments.size());
      for (String segment : segments) {
        result.add(segment == null ? "" : segment);
      }
      for (int i = 0; i < positions.size(); i++) {
        result.set(positions.get(i), translated.get(i));
      }
      return result;
    });
  }

  private Future<List<String>> translateInChunks(List<String> texts, String sourceLang, String targetLang,
      dev.translive.translator.Glossary glossary) {
    if (texts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int chunkSize = Math.max(1, requestChunkSize());
    List<Future<List<String>>> chunks = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += chunkSize) {
      List<String> chunk = List.copyOf(texts.subList(from, Math.min(texts.size(), from + chunkSize)));
      chunks.add((glossary == null ? translateChunk(chunk, sourceLang, targetLang)
          : translateChunk(chunk, sourceLang, targetLang, glossary)).compose(out -> out.size() == chunk.size()
          ? Future.succeededFuture(out)
          : Future.failedFuture(new EngineHttpException(
              id() + ": backend returned " + out.size() + " translations for " + chunk.size() + " segments", false))));
    }
    return Future.all(chunks).map(done -> {
      List<String> all = new ArrayList<>(texts.size());
      chunks.forEach(chunk -> all.addAll(chunk.result()));
      return all;
    });
  }

  @Override
  public Future<Void> close() {
    return support.close();
  }

  @Override
  public String toString() {
    // Deliberately settings-free: they may hold credentials.
    return getClass().getSimpleName() + "[" + id() + (model().isEmpty() ? "" : ", " + model()) + "]";
  }
}
