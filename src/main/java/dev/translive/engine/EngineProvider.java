package dev.translive.engine;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Creates one engine from its settings; providers are found with {@link java.util.ServiceLoader}
 * (META-INF/services/dev.translive.engine.EngineProvider), so an engine is a plug-in.
 */
public interface EngineProvider {

  /** The engine id, which is also its key under {@code engines} in conf/config.json. */
  String id();

  /**
   * @param settings the engine's object under {@code engines.<id>} in the merged config (file, then
   *     environment); never null
   */
  TranslationEngine create(Vertx vertx, JsonObject settings);
}
