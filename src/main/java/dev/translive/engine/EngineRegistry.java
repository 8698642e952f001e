package dev.translive.engine;

import dev.translive.bus.ErrorCode;
import dev.translive.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engines found as plug-ins, created from config, and the resolution of "auto". */
public final class EngineRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(EngineRegistry.class);
  public static final String AUTO = "auto";
  private final Map<String, TranslationEngine> engines = new LinkedHashMap<>();
  private final String defaultEngine;

  public EngineRegistry(Map<String, TranslationEngine> engines, String configuredDefault) {
    this.engines.putAll(engines);
    this.defaultEngine = resolveDefault(configuredDefault);
  }

  /** Creates every engine registered under META-INF/services with its settings from config. */
  public static EngineRegistry create(Vertx vertx, AppConfig config) {
    Map<String, TranslationEngine> engines = new LinkedHashMap<>();
    for (EngineProvider provider : ServiceLoader.load(EngineProvider.class)) {
      engines.put(provider.id(), provider.create(vertx, config.engineSettings(provider.id())));
    }
    EngineRegistry registry = new EngineRegistry(engines, config.defaultEngine());
    if (registry.defaultEngine.equals("demo")) {
      LOG.warn("Default engine is demo (pseudo-translations): {}", registry.engines.containsKey("apertium")
          && !registry.engines.get("apertium").available() ? registry.engines.get("apertium").unavailableReason() : "configured");
    } else {
      LOG.info("Default engine is {}", registry.defaultEngine);
    }
    return registry;
  }

  private String resolveDefault(String configured) {
    if (configured == null || configured.isBlank() || configured.equals(AUTO)) {
      TranslationEngine apertium = engines.get("apertium");
      return apertium != null && apertium.available() ? "apertium" : "demo";
    }
    if (!engines.containsKey(configured)) {
      throw new IllegalArgumentException("config engine: unknown engine '" + configured + "'; known: " + engines.keySet());
    }
    return configured;
  }

  public String defaultEngineId() {
    return defaultEngine;
  }

  /** The engine for a request ("" or "auto" is the default), or a 400 naming the problem. */
  public TranslationEngine resolve(String requested, String sourceLang, String targetLang) {
    String id = requested == null || requested.isBlank() || requested.equals(AUTO) ? defaultEngine : requested;
    TranslationEngine engine = engines.get(id);
    if (engine == null) {
      throw ErrorCode.BAD_REQUEST.error("unknown engine '" + id + "'; available: " + engines.keySet());
    }
    if (!engine.available()) {
      throw ErrorCode.BAD_REQUEST.error("engine '" + id + "' is not available: " + engine.unavailableReason());
    }
    if (!engine.supports(sourceLang, targetLang)) {
      throw ErrorCode.BAD_REQUEST.error("engine '" + id + "' cannot translate " + sourceLang + " to " + targetLang);
    }
    return engine;
  }

  /** The default engine plus every engine whose settings make it usable: what /health checks. */
  public java.util.List<TranslationEngine> configured() {
    return engines.values().stream().filter(e -> e.id().equals(defaultEngine) || (e.available() && !e.id().equals("demo")))
        .toList();
  }

  public TranslationEngine get(String id) {
    return engines.get(id);
  }

  public JsonObject describe() {
    JsonArray list = new JsonArray();
    engines.values().forEach(e -> list.add(e.describe().put("default", e.id().equals(defaultEngine))));
    return new JsonObject().put("default", defaultEngine).put("engines", list);
  }

  /** Starts every engine (pair lists, connections); one that fails to start stays listed as unavailable. */
  public Future<Void> start() {
    return Future.join(engines.values().stream().map(engine -> engine.start()
        .onFailure(err -> LOG.warn("Engine {} did not start: {}", engine.id(), err.getMessage()))).toList())
        .otherwiseEmpty()
        .mapEmpty();
  }

  public Future<Void> close() {
    return Future.all(engines.values().stream().map(TranslationEngine::close).toList()).mapEmpty();
  }
}
