package dev.translive.engine;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Registers {@link DeepLEngine} with the ServiceLoader. */
public final class DeepLProvider implements EngineProvider {
  @Override
  public String id() {
    return DeepLEngine.ID;
  }

  @Override
  public TranslationEngine create(Vertx vertx, JsonObject settings) {
    return new DeepLEngine(vertx, settings);
  }
}
