package dev.translive.engine;

import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** An engine under test and the fake server it talks to, both closed after each test. */
@ExtendWith(VertxExtension.class)
abstract class EngineAgainstFakeBackend {
  protected FakeHttpBackend backend;
  protected TranslationEngine engine;

  @AfterEach
  void cleanUp() {
    if (engine != null) {
      engine.close();
    }
    if (backend != null) {
      backend.close();
    }
  }
}
