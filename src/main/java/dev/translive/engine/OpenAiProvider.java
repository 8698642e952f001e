package dev.translive.engine;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Registers {@link OpenAiEngine} with the ServiceLoader. */
public final class OpenAiProvider implements EngineProvider {
  @Override
  public String id() {
    return OpenAiEngine.ID;
  }

  @Override
  public TranslationEngine create(Vertx vertx, JsonObject settings) {
    return new OpenAiEngine(vertx, settings);
  }
}
