package dev.translive.engine;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Registers {@link ApertiumApyEngine} with the ServiceLoader. */
public final class ApertiumApyProvider implements EngineProvider {
  @Override
  public String id() {
    return ApertiumApyEngine.ID;
  }

  @Override
  public TranslationEngine create(Vertx vertx, JsonObject settings) {
    return new ApertiumApyEngine(vertx, settings);
  }
}
