package dev.translive.engine;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Registers {@link LibreTranslateEngine} with the ServiceLoader. */
public final class LibreTranslateProvider implements EngineProvider {
  @Override
  public String id() {
    return LibreTranslateEngine.ID;
  }

  @Override
  public TranslationEngine create(Vertx vertx, JsonObject settings) {
    return new LibreTranslateEngine(vertx, settings);
  }
}
