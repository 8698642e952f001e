package dev.translive.engine;

import static dev.translive.engine.FakeHttpBackend.await;
import static dev.translive.engine.FakeHttpBackend.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The openai engine against a local fake chat-completions server. */
class OpenAiEngineTest extends EngineAgainstFakeBackend {
  private static final Pattern TAGGED = Pattern.compile("<(\\d+)>(.*?)</\\1>", Pattern.DOTALL);
  private static final String KEY = "sk-test-0123456789";

  /** Answers like a well-behaved model, optionally dropping the last numbered segment of batches. */
  private static void answer(FakeHttpBackend backend, HttpServerRequest request, Buffer body, boolean dropLast) {
    JsonArray messages = body.toJsonObject().getJsonArray("messages");
    String user = messages.getJsonObject(1).getString("content");
    Matcher tagged = TAGGED.matcher(user);
    List<String> parts = new ArrayList<>();
    while (tagged.find()) {
      parts.add("<" + tagged.group(1) + ">ES " + tagged.group(2) + "</" + tagged.group(1) + ">");
    }
    String content;
    if (parts.isEmpty()) {
      content = "ES " + user;
    } else {
      if (dropLast) {
        parts.remove(parts.size() - 1);
      }
      content = "Here you go:\n" + String.join("\n", parts);
    }
    backend.reply(request, 200, new JsonObject().put("choices", new JsonArray()
        .add(new JsonObject().put("index", 0).put("message",
            new JsonObject().put("role", "assistant").put("content", content)))));
  }

  private TranslationEngine engine(Vertx vertx, JsonObject extra) {
    JsonObject settings = new JsonObject().put("baseUrl", backend.url() + "/v1").put("model", "test-model")
        .put("apiKey", KEY).put("retryBaseMs", 10).put("requestsPerSecond", 1000).mergeIn(extra);
    engine = new OpenAiEngine(vertx, settings);
    return engine;
  }

  private static List<String> segments(int count) {
    return IntStream.range(0, count).mapToObj(i -> "segment " + i).toList();
  }

  @Test
  void aGlossaryGoesIntoThePromptWithOnlyTheEntriesThatOccurInTheBatch(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> answer(b, req, body, false));
    engine(vertx, new JsonObject().put("batchSize", 2).put("maxConcurrency", 1));
    dev.translive.translator.Glossary glossary = dev.translive.translator.Glossary.of(
        java.util.Map.of("house", "hogar", "Books", "Libros", "cat", "gato"));

    List<String> output = await(engine.translate(List.of("The house is red.", "Books here.", "No terms.", "Nothing."),
        "en", "es", glossary));

    assertEquals(List.of("ES The house is red.", "ES Books here.", "ES No terms.", "ES Nothing."), output,
        "the model sees the terms themselves, not tags");
    List<String> prompts = backend.received.stream()
        .map(r -> r.json().getJsonArray("messages").getJsonObject(0).getString("content")).toList();
    String withTerms = prompts.stream().filter(p -> p.contains("house")).findFirst().orElseThrow();
    assertTrue(withTerms.contains("house => hogar") && withTerms.contains("Books => Libros"), withTerms);
    assertFalse(withTerms.contains("cat => gato"), "only the entries that occur in the batch: " + withTerms);
    assertTrue(prompts.stream().anyMatch(p -> !p.contains("Glossary")), "a batch with no term has no glossary: " + prompts);
  }

  @Test
  void batchesSegmentsIntoNumberedRequests(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> answer(b, req, body, false));
    engine(vertx, new JsonObject().put("batchSize", 20));

    List<String> input = segments(45);
    List<String> output = await(engine.translate(input, "en", "es"));

    assertEquals(input.stream().map(s -> "ES " + s).toList(), output);
    assertEquals(3, backend.requests.get(), "45 segments at 20 per request");
    FakeHttpBackend.Received first = backend.received.get(0);
    assertEquals("/v1/chat/completions", first.path());
    assertEquals("Bearer " + KEY, first.authorization());
    assertEquals("test-model", first.json().getString("model"));
    assertEquals(0.2, first.json().getDouble("temperature"));
  }

  @Test
  void keepsSeveralBatchesInFlightUpToTheConcurrencyLimit(Vertx vertx) {
    long latencyMs = 200;
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> b.vertx.setTimer(latencyMs, id -> answer(b, req, body, false)));
    engine(vertx, new JsonObject().put("batchSize", 10).put("maxConcurrency", 4));

    List<String> output = await(engine.translate(segments(80), "en", "es"));

    assertEquals(80, output.size());
    assertEquals(8, backend.requests.get());
    // Four at once at the backend's busiest moment, never more: the overlap is the speed-up.
    assertEquals(4, backend.maxActive.get());
  }

  @Test
  void mismatchedNumberingFallsBackToOneRequestPerSegment(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> answer(b, req, body, true));
    engine(vertx, new JsonObject().put("batchSize", 5));

    List<String> input = segments(5);
    List<String> output = await(engine.translate(input, "en", "es"));

    assertEquals(input.stream().map(s -> "ES " + s).toList(), output);
    assertEquals(1 + 5, backend.requests.get(), "one batch, then each segment alone");
  }

  @Test
  void keepsBlankSegmentsAndEdgeWhitespaceWithoutAskingTheModel(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> answer(b, req, body, false));
    engine(vertx, new JsonObject());

    List<String> output = await(engine.translate(List.of("  one ", "", "   ", "two\n"), "en", "es"));

    assertEquals(List.of("  ES one ", "", "   ", "ES two\n"), output);
    assertEquals(1, backend.requests.get());
  }

  @Test
  void omitsAuthorizationWithoutKeyAndPutsTheGlossaryInTheSystemPrompt(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> answer(b, req, body, false));
    engine(vertx, new JsonObject().putNull("apiKey").put("glossary", new JsonObject().put("queue", "cola")));

    await(engine.translate(List.of("The queue is long."), "en", "es"));

    FakeHttpBackend.Received request = backend.received.get(0);
    assertNull(request.authorization());
    String system = request.json().getJsonArray("messages").getJsonObject(0).getString("content");
    assertTrue(system.contains("queue => cola"), system);
    assertTrue(system.contains("English") && system.contains("Spanish"), system);
  }

  @Test
  void unauthorizedFailsOnceWithAClearMessageWithoutTheKey(Vertx vertx) {
    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> b.reply(req, 401,
        new JsonObject().put("error", new JsonObject().put("message", "Incorrect API key provided: " + KEY))));
    engine(vertx, new JsonObject());

    Throwable failure = awaitFailure(engine.translate(List.of("hello"), "en", "es"));

    assertTrue(failure.getMessage().startsWith("openai: 401 Unauthorized: "), failure.getMessage());
    assertFalse(failure.getMessage().contains(KEY), failure.getMessage());
    assertEquals(1, backend.requests.get());
  }

  @Test
  void availabilityDescriptionAndToStringNeverExposeTheKey(Vertx vertx) {
    TranslationEngine unconfigured = new OpenAiEngine(vertx, new JsonObject().put("apiKey", KEY));
    assertFalse(unconfigured.available());
    assertEquals("set TRANSLIVE_OPENAI_BASE_URL and TRANSLIVE_OPENAI_MODEL", unconfigured.unavailableReason());
    assertTrue(awaitFailure(unconfigured.translate(List.of("x"), "en", "es")).getMessage().contains("set TRANSLIVE_OPENAI"));
    unconfigured.close();

    backend = FakeHttpBackend.start(vertx, (b, req, body, n) -> answer(b, req, body, false));
    engine(vertx, new JsonObject());
    assertTrue(engine.available());
    assertEquals("test-model", engine.model());
    assertEquals(4, engine.maxInFlight());
    assertEquals(20, engine.batchSize());
    assertTrue(engine.supports("en", "ja"));
    assertFalse(engine.describe().encode().contains(KEY));
    assertFalse(engine.toString().contains(KEY));
  }

  @Test
  void badSettingMakesTheEngineUnavailableWithAReason(Vertx vertx) {
    TranslationEngine broken = new OpenAiEngine(vertx,
        new JsonObject().put("baseUrl", "http://127.0.0.1:1/v1").put("model", "m").put("temperature", "warm"));
    assertFalse(broken.available());
    assertEquals("openai: setting temperature must be a number", broken.unavailableReason());
    broken.close();
  }

  @Test
  void parsesOnlyCompleteNumbering() {
    assertEquals(List.of("a", "b"), OpenAiEngine.parseNumbered("<1>a</1>\n<2> b </2>", 2));
    assertEquals(List.of("a", "b"), OpenAiEngine.parseNumbered("<2>b</2><1>a</1>", 2));
    assertNull(OpenAiEngine.parseNumbered("<1>a</1>", 2));
    assertNull(OpenAiEngine.parseNumbered("<1>a</1><1>b</1>", 2));
    assertNull(OpenAiEngine.parseNumbered("<1>a</1><2>b</2><3>c</3>", 2));
  }
}
