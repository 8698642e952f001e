package dev.translive.engine;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;

/** An {@link EngineProvider} that is just an id and a constructor, which is what every built-in one is. */
public abstract class SimpleProvider implements EngineProvider {
  private final String id;
  private final BiFunction<Vertx, JsonObject, TranslationEngine> factory;

  protected SimpleProvider(String id, BiFunction<Vertx, JsonObject, TranslationEngine> factory) {
    this.id = id;
    this.factory = factory;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final TranslationEngine create(Vertx vertx, JsonObject settings) {
    return factory.apply(vertx, settings);
  }
}
