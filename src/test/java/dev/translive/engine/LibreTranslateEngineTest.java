package dev.translive.engine;

import static dev.translive.engine.FakeHttpBackend.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The libretranslate engine's protocol details against a local fake server. */
class LibreTranslateEngineTest extends EngineAgainstFakeBackend {

  @Test
  void translatesArraysAndListsPairsFromTheServer(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> {
      if (req.path().equals("/languages")) {
        b.reply(req, 200, new JsonArray()
            .add(new JsonObject().put("code", "en").put("name", "English").put("targets", new JsonArray().add("en").add("eo")))
            .add(new JsonObject().put("code", "eo").put("name", "Esperanto").put("targets", new JsonArray().add("en"))));
      } else {
        HttpEngineResilienceTest.translateOk(b, req, body);
      }
    });
    engine = new LibreTranslateEngine(vertx, new JsonObject().put("url", backend.url() + "/").put("apiKey", "lt-key"));
    await(engine.start());

    assertEquals(List.of(new LanguagePair("en", "eo"), new LanguagePair("eo", "en")), engine.languagePairs());
    assertEquals(List.of("es:a", "es:b"), await(engine.translate(List.of("a", "b"), "en", "eo")));
    JsonObject sent = backend.received.get(1).json();
    assertEquals(new JsonArray().add("a").add("b"), sent.getJsonArray("q"));
    assertEquals("en", sent.getString("source"));
    assertEquals("eo", sent.getString("target"));
    assertEquals("text", sent.getString("format"));
    assertEquals("lt-key", sent.getString("api_key"));
  }

  @Test
  void fallsBackToCommonPairsWhenLanguagesAreUnreachable(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> b.reply(req, 404, "{\"error\":\"not found\"}"));
    engine = new LibreTranslateEngine(vertx, new JsonObject().put("url", backend.url()));
    await(engine.start());

    assertTrue(engine.supports("en", "es"));
    assertTrue(engine.supports("ja", "ko"));
  }

  @Test
  void needsAUrl(Vertx vertx) {
    engine = new LibreTranslateEngine(vertx, new JsonObject());
    assertFalse(engine.available());
    assertEquals("set TRANSLIVE_LIBRETRANSLATE_URL", engine.unavailableReason());
  }
}
