package dev.translive.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Needs nothing installed: returns clearly marked pseudo-translations ("[es] text") at a fixed pace
 * of {@code delayMs} per segment, so the queue and live progress can be seen and tested anywhere.
 */
public final class DemoEngine implements TranslationEngine {
  private static final List<String> LANGUAGES = List.of("en", "es", "fr", "de", "it", "pt", "zh", "ja");
  private final Vertx vertx;
  private final long delayMs;
  private final int batchSize;
  private final boolean advertisePace;
  private final List<LanguagePair> pairs;

  public DemoEngine(Vertx vertx, JsonObject settings) {
    this.vertx = vertx;
    this.delayMs = settings.getLong("delayMs", 50L);
    // Small batches at a slow pace keep progress visible; large ones at zero delay keep tests fast.
    this.batchSize = settings.getInteger("batchSize", delayMs >= 20 ? 1 : 50);
    // Off, the queue has to learn the pace like it would for an unknown backend (used by the ETA tests).
    this.advertisePace = settings.getBoolean("advertisePace", true);
    List<LanguagePair> all = new ArrayList<>();
    for (String s : LANGUAGES) {
      for (String t : LANGUAGES) {
        if (!s.equals(t)) {
          all.add(new LanguagePair(s, t));
        }
      }
    }
    this.pairs = List.copyOf(all);
  }

  public static final class Provider implements EngineProvider {
    @Override
    public String id() {
      return "demo";
    }

    @Override
    public TranslationEngine create(Vertx vertx, JsonObject settings) {
      return new DemoEngine(vertx, settings);
    }
  }

  @Override
  public String id() {
    return "demo";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public List<LanguagePair> languagePairs() {
    return pairs;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public Double nominalSecondsPerSegment() {
    return advertisePace ? delayMs / 1000.0 : null;
  }

  @Override
  public JsonObject describe() {
    return TranslationEngine.super.describe().put("demo", true)
        .put("description", "pseudo-translation for trying Translive out; install Apertium for real translation");
  }

  @Override
  public Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang) {
    List<String> out = segments.stream().map(s -> "[" + targetLang + "] " + s).toList();
    long delay = delayMs * segments.size();
    return delay <= 0 ? Future.succeededFuture(out) : vertx.timer(delay).map(v -> out);
  }
}
