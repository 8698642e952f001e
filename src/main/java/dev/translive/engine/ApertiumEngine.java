package dev.translive.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Real offline translation with the Apertium command-line pipelines, one long-running process per
 * language pair, started on first use.
 */
public final class ApertiumEngine extends AbstractEngine {
  public static final String ID = "apertium";
  private final Vertx vertx;
  private final Path modesDir;
  private final long batchTimeoutMs;
  /** Looked up once: /health and /api/engines ask on the event loop, where a PATH scan does not belong. */
  private final boolean installed;
  private final Map<LanguagePair, Future<ApertiumPipeline>> pipelines = new ConcurrentHashMap<>();

  public ApertiumEngine(Vertx vertx, JsonObject settings) {
    super(ID, settings.getInteger("batchSize", 50), installedPairs(modesDir(settings)));
    this.vertx = vertx;
    this.modesDir = modesDir(settings);
    this.batchTimeoutMs = settings.getLong("batchTimeoutMs", 60_000L);
    this.installed = onPath("lt-proc");
  }

  private static Path modesDir(JsonObject settings) {
    return Path.of(settings.getString("modesDir", "/usr/share/apertium/modes"));
  }

  public static final class Provider extends SimpleProvider {
    public Provider() {
      super(ID, ApertiumEngine::new);
    }
  }

  @Override
  public boolean available() {
    return !languagePairs().isEmpty() && installed;
  }

  @Override
  public String unavailableReason() {
    return "Apertium is not installed (apt-get install apertium apertium-eng-spa)";
  }

  /** Segments are pipelined through the one process, so a second batch in flight keeps it busy. */
  @Override
  public int maxInFlight() {
    return 2;
  }

  @Override
  public Double nominalSecondsPerSegment() {
    return 0.002;
  }

  @Override
  public Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang) {
    Context context = vertx.getOrCreateContext();
    LanguagePair pair = new LanguagePair(sourceLang, targetLang);
    if (!languagePairs().contains(pair)) {
      return Future.failedFuture("Apertium has no " + pair + " pair installed");
    }
    return pipeline(pair).compose(p -> p.translate(context, segments, batchTimeoutMs));
  }

  /** The running pipeline of a pair, restarted if it died. */
  private Future<ApertiumPipeline> pipeline(LanguagePair pair) {
    return pipelines.compute(pair, (key, existing) -> {
      if (existing != null && (!existing.isComplete() || (existing.succeeded() && existing.result().alive()))) {
        return existing;
      }
      if (existing != null && existing.succeeded()) {
        existing.result().close(); // what is left of the dead one: its threads and processes
      }
      Path mode = modesDir.resolve(ApertiumLanguages.toApertium(pair.source()) + "-"
          + ApertiumLanguages.toApertium(pair.target()) + ".mode");
      return vertx.executeBlocking(() -> ApertiumPipeline.start(mode), false);
    });
  }

  @Override
  public Future<Void> close() {
    pipelines.values().forEach(f -> f.onSuccess(ApertiumPipeline::close));
    pipelines.clear();
    return Future.succeededFuture();
  }

  private static List<LanguagePair> installedPairs(Path modesDir) {
    List<LanguagePair> result = new ArrayList<>();
    if (!Files.isDirectory(modesDir)) {
      return result;
    }
    try (Stream<Path> files = Files.list(modesDir)) {
      files.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("[a-z]{2,3}-[a-z]{2,3}\\.mode"))
          .sorted()
          .forEach(name -> {
            String[] codes = name.replace(".mode", "").split("-");
            String source = ApertiumLanguages.toIso(codes[0]);
            String target = ApertiumLanguages.toIso(codes[1]);
            if (source != null && target != null) {
              result.add(new LanguagePair(source, target));
            }
          });
    } catch (IOException e) {
      return result;
    }
    return List.copyOf(result);
  }

  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
