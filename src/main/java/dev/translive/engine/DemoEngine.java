package dev.translive.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Needs nothing installed: returns clearly marked pseudo-translations ("[es] text") at a fixed pace
 * of {@code delayMs} per segment, so the queue and live progress can be seen and tested anywhere.
 */
public final class DemoEngine extends AbstractEngine {
  public static final String ID = "demo";
  private static final List<String> LANGUAGES = List.of("en", "es", "fr", "de", "it", "pt", "zh", "ja");
  private final Vertx vertx;
  private final long delayMs;
  private final boolean advertisePace;

  public DemoEngine(Vertx vertx, JsonObject settings) {
    // Small batches at a slow pace keep progress visible; large ones at zero delay keep tests fast.
    super(ID, settings.getInteger("batchSize", delayMs(settings) >= 20 ? 1 : 50), CommonLanguages.allPairs(LANGUAGES));
    this.vertx = vertx;
    this.delayMs = delayMs(settings);
    // Off, the queue has to learn the pace like it would for an unknown backend (used by the ETA tests).
    this.advertisePace = settings.getBoolean("advertisePace", true);
  }

  private static long delayMs(JsonObject settings) {
    return settings.getLong("delayMs", 50L);
  }

  public static final class Provider extends SimpleProvider {
    public Provider() {
      super(ID, DemoEngine::new);
    }
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Double nominalSecondsPerSegment() {
    return advertisePace ? delayMs / 1000.0 : null;
  }

  @Override
  public JsonObject describe() {
    return super.describe().put("demo", true)
        .put("description", "pseudo-translation for trying Translive out; install Apertium for real translation");
  }

  @Override
  public Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang) {
    List<String> out = segments.stream().map(s -> "[" + targetLang + "] " + s).toList();
    long delay = delayMs * segments.size();
    return delay <= 0 ? Future.succeededFuture(out) : vertx.timer(delay).map(v -> out);
  }
}
