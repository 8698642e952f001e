package dev.translive.engine;

import static dev.translive.engine.FakeHttpBackend.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The deepl engine against a local fake DeepL v2 server. */
@ExtendWith(VertxExtension.class)
class DeepLEngineTest {
  private static final String KEY = "0000-test-key:fx";
  private FakeHttpBackend backend;
  private TranslationEngine engine;

  @AfterEach
  void cleanUp() {
    if (engine != null) {
      engine.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void sendsUpToFiftyTextsPerRequestWithTheDeepLHeader(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> {
      JsonArray texts = body.toJsonObject().getJsonArray("text");
      JsonArray translations = new JsonArray(texts.stream()
          .map(t -> new JsonObject().put("detected_source_language", "EN").put("text", "ES " + t)).toList());
      b.reply(req, 200, new JsonObject().put("translations", translations));
    });
    engine = new DeepLEngine(vertx, new JsonObject().put("apiKey", KEY).put("url", backend.url())
        .put("requestsPerSecond", 1000));
    List<String> input = IntStream.range(0, 120).mapToObj(i -> "text " + i).toList();

    List<String> output = await(engine.translate(input, "en", "es"));

    assertEquals(input.stream().map(s -> "ES " + s).toList(), output);
    assertEquals(3, backend.requests.get(), "120 texts at 50 per request");
    FakeHttpBackend.Received first = backend.received.get(0);
    assertEquals("/v2/translate", first.path());
    assertEquals("DeepL-Auth-Key " + KEY, first.authorization());
    assertEquals("EN", first.json().getString("source_lang"));
    assertEquals("ES", first.json().getString("target_lang"));
    assertTrue(backend.maxActive.get() <= 2, "default concurrency is 2");
  }

  @Test
  void choosesTheEndpointFromTheKey() {
    assertEquals("https://api-free.deepl.com", DeepLEngine.endpointFor(null, "abc:fx"));
    assertEquals("https://api.deepl.com", DeepLEngine.endpointFor(null, "abc"));
    assertEquals("http://localhost:8080", DeepLEngine.endpointFor("http://localhost:8080/v2/", "abc"));
    assertEquals("EN-US", DeepLEngine.targetCode("en"));
    assertEquals("PT-PT", DeepLEngine.targetCode("pt"));
    assertEquals("DE", DeepLEngine.targetCode("de"));
  }

  @Test
  void needsAKey(Vertx vertx) {
    engine = new DeepLEngine(vertx, new JsonObject());
    assertFalse(engine.available());
    assertEquals("set TRANSLIVE_DEEPL_API_KEY", engine.unavailableReason());
    assertEquals(50, engine.batchSize());
    assertEquals(2, engine.maxInFlight());
  }

  /** Inline tags go as XML with tag_handling, the text escaped, as DeepL documents it; they come back in place. */
  @Test
  void inlineTagsUseDeepLTagHandling(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> {
      JsonObject json = body.toJsonObject();
      String text = json.getJsonArray("text").getString(0);
      // A DeepL-like answer: the XML kept, the text around it translated.
      String translated = text.replace("Use ", "Usa ").replace(" to choose &lt;a&gt; &amp; b", " para elegir &lt;a&gt; &amp; b");
      b.reply(req, 200, new JsonObject().put("translations", new JsonArray().add(new JsonObject().put("text",
          json.getString("tag_handling") + ":" + translated))));
    });
    engine = new DeepLEngine(vertx, new JsonObject().put("apiKey", KEY).put("url", backend.url()).put("requestsPerSecond", 1000));
    List<String> output = await(engine.translate(List.of("Use <x1/> to choose <a> & b"), "en", "es"));
    assertEquals(List.of("xml:Usa <x1/> para elegir <a> & b"), output);
  }
}
