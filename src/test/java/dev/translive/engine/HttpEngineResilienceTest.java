package dev.translive.engine;

import static dev.translive.engine.FakeHttpBackend.await;
import static dev.translive.engine.FakeHttpBackend.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.engine.http.RetryBackoff;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared HTTP machinery, exercised through the LibreTranslate engine against a local fake server. */
@ExtendWith(VertxExtension.class)
class HttpEngineResilienceTest {
  private final List<FakeHttpBackend> backends = new ArrayList<>();
  private final List<TranslationEngine> engines = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    engines.forEach(TranslationEngine::close);
    backends.forEach(FakeHttpBackend::close);
  }

  /** LibreTranslate protocol: echoes each q as "es:" + q. */
  static void translateOk(FakeHttpBackend backend, HttpServerRequest request, Buffer body) {
    Object q = body.toJsonObject().getValue("q");
    Object translated = q instanceof JsonArray array
        ? new JsonArray(array.stream().map(t -> "es:" + t).toList())
        : "es:" + q;
    backend.reply(request, 200, new JsonObject().put("translatedText", translated));
  }

  private FakeHttpBackend backend(FakeHttpBackend.Responder responder, Vertx vertx) {
    FakeHttpBackend backend = FakeHttpBackend.start(vertx, responder);
    backends.add(backend);
    return backend;
  }

  private TranslationEngine libre(Vertx vertx, String url, JsonObject extra) {
    JsonObject settings = new JsonObject().put("url", url).put("retryBaseMs", 10).put("retryMaxMs", 50)
        .put("requestsPerSecond", 1000).mergeIn(extra);
    TranslationEngine engine = new LibreTranslateEngine(vertx, settings);
    engines.add(engine);
    return engine;
  }

  @Test
  void serverErrorsAreRetriedUntilSuccess(Vertx vertx) {
    FakeHttpBackend backend = backend((b, req, body, n) -> {
      if (n <= 2) {
        b.reply(req, n == 1 ? 500 : 502, "{\"error\":\"boom\"}");
      } else {
        translateOk(b, req, body);
      }
    }, vertx);
    TranslationEngine engine = libre(vertx, backend.url(), new JsonObject());

    assertEquals(List.of("es:one", "es:two"), await(engine.translate(List.of("one", "two"), "en", "es")));
    assertEquals(3, backend.requests.get());
  }

  /**
   * Translates "hello" against a backend whose first reply is {@code status} with a Retry-After header
   * made at reply time; the milliseconds the translation took.
   */
  private long msToTranslateAfterRetry(Vertx vertx, int status, Supplier<String> retryAfter) {
    FakeHttpBackend backend = backend((b, req, body, n) -> {
      if (n == 1) {
        req.response().putHeader("Retry-After", retryAfter.get());
        b.reply(req, status, "{\"error\":\"try later\"}");
      } else {
        translateOk(b, req, body);
      }
    }, vertx);
    TranslationEngine engine = libre(vertx, backend.url(), new JsonObject());

    long start = System.nanoTime();
    assertEquals(List.of("es:hello"), await(engine.translate(List.of("hello"), "en", "es")));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(2, backend.requests.get());
    return elapsedMs;
  }

  @Test
  void retryAfterOn429IsHonoured(Vertx vertx) {
    long elapsedMs = msToTranslateAfterRetry(vertx, 429, () -> "1");
    assertTrue(elapsedMs >= 1000, "retried after " + elapsedMs + " ms, Retry-After asked for 1000 ms");
  }

  @Test
  void retryAfterOn503WithHttpDateIsHonoured(Vertx vertx) {
    long elapsedMs = msToTranslateAfterRetry(vertx, 503,
        () -> DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC)));
    // HTTP dates have whole-second precision, so the wait is between 1 and 2 s.
    assertTrue(elapsedMs >= 1000, "retried after " + elapsedMs + " ms");
  }

  @Test
  void clientErrorsAreNotRetriedAndNeverShowTheKey(Vertx vertx) {
    String key = "secret-key-123456";
    FakeHttpBackend backend = backend((b, req, body, n) ->
        b.reply(req, 403, "{\"error\":\"Invalid API key " + key + "\"}"), vertx);
    TranslationEngine engine = libre(vertx, backend.url(), new JsonObject().put("apiKey", key));

    Throwable failure = awaitFailure(engine.translate(List.of("hello"), "en", "es"));
    assertTrue(failure.getMessage().startsWith("libretranslate: 403 Forbidden: "), failure.getMessage());
    assertFalse(failure.getMessage().contains(key), failure.getMessage());
    assertEquals(1, backend.requests.get());
  }

  @Test
  void hungBackendTimesOutAndTheRetrySucceeds(Vertx vertx) {
    FakeHttpBackend backend = backend((b, req, body, n) -> {
      if (n > 1) {
        translateOk(b, req, body);
      } // the first request is never answered
    }, vertx);
    TranslationEngine engine = libre(vertx, backend.url(), new JsonObject().put("timeoutMs", 300));

    long start = System.nanoTime();
    assertEquals(List.of("es:hello"), await(engine.translate(List.of("hello"), "en", "es")));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= 300, "the retry came after the timeout, took " + elapsedMs + " ms");
    assertEquals(2, backend.requests.get());
  }

  @Test
  void hungBackendFailsWithinTheTimeouts(Vertx vertx) {
    FakeHttpBackend backend = backend((b, req, body, n) -> { }, vertx);
    TranslationEngine engine = libre(vertx, backend.url(), new JsonObject().put("timeoutMs", 200).put("maxRetries", 1));

    long start = System.nanoTime();
    Throwable failure = awaitFailure(engine.translate(List.of("hello"), "en", "es"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(failure.getMessage().contains("no answer within 200 ms"), failure.getMessage());
    assertTrue(elapsedMs >= 400, "both attempts waited for their timeout, took " + elapsedMs + " ms");
    assertEquals(2, backend.requests.get());
  }

  @Test
  void deadBackendOpensTheCircuitAndThenFailsFast(Vertx vertx) throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    TranslationEngine engine = libre(vertx, "http://127.0.0.1:" + deadPort,
        new JsonObject().put("timeoutMs", 5000).put("maxRetries", 4).put("breakerMaxFailures", 5));

    Throwable first = awaitFailure(engine.translate(List.of("hello"), "en", "es"));
    assertTrue(first.getMessage().startsWith("libretranslate: cannot connect"), first.getMessage());
    assertTrue(first.getMessage().contains("gave up after 5 attempts"), first.getMessage());

    // "circuit open" means no attempt was made: the answer did not wait for a connection or a retry.
    Throwable next = awaitFailure(engine.translate(List.of("hello again"), "en", "es"));
    assertTrue(next.getMessage().startsWith("libretranslate backend unavailable (circuit open): cannot connect"),
        next.getMessage());
  }

  @Test
  void concurrencyLimitIsRespected(Vertx vertx) {
    FakeHttpBackend backend = backend((b, req, body, n) ->
        b.vertx.setTimer(100, id -> translateOk(b, req, body)), vertx);
    TranslationEngine engine = libre(vertx, backend.url(), new JsonObject().put("maxConcurrency", 2).put("batchSize", 1));
    List<String> segments = IntStream.range(0, 10).mapToObj(i -> "s" + i).toList();

    List<String> translated = await(engine.translate(segments, "en", "es"));
    assertEquals(segments.stream().map(s -> "es:" + s).toList(), translated);
    assertEquals(10, backend.requests.get());
    assertEquals(2, backend.maxActive.get());
    assertEquals(2, engine.maxInFlight());
  }

  @Test
  void requestsPerSecondIsRespected(Vertx vertx) {
    FakeHttpBackend backend = backend((b, req, body, n) -> translateOk(b, req, body), vertx);
    TranslationEngine engine = libre(vertx, backend.url(),
        new JsonObject().put("maxConcurrency", 10).put("batchSize", 1).put("requestsPerSecond", 5));
    List<String> segments = IntStream.range(0, 10).mapToObj(i -> "s" + i).toList();

    long start = System.nanoTime();
    await(engine.translate(segments, "en", "es"));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    // A burst of 5, then one every 200 ms: the 10th request starts at about 1 s.
    assertTrue(elapsedMs >= 900, "10 requests at 5/s took only " + elapsedMs + " ms");
  }

  @Test
  void overflowingTheWaitQueueFailsClearly(Vertx vertx) {
    FakeHttpBackend backend = backend((b, req, body, n) ->
        b.vertx.setTimer(200, id -> translateOk(b, req, body)), vertx);
    TranslationEngine engine = libre(vertx, backend.url(),
        new JsonObject().put("maxConcurrency", 1).put("batchSize", 1).put("maxQueued", 2));

    Throwable failure = awaitFailure(engine.translate(List.of("a", "b", "c", "d", "e"), "en", "es"));
    assertTrue(failure.getMessage().contains("too many requests waiting"), failure.getMessage());
  }

  @Test
  void retryAfterParsesSecondsAndDates() {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    assertEquals(3000, RetryBackoff.retryAfterMs("3", now));
    assertEquals(5000, RetryBackoff.retryAfterMs("Wed, 01 Jan 2025 00:00:05 GMT", now));
    assertEquals(0, RetryBackoff.retryAfterMs("Tue, 31 Dec 2024 23:59:00 GMT", now));
    assertEquals(-1, RetryBackoff.retryAfterMs("soon", now));
    assertEquals(-1, RetryBackoff.retryAfterMs(null, now));
  }

  @Test
  void fullJitterStaysWithinTheExponentialCeiling() {
    for (int attempt = 0; attempt < 10; attempt++) {
      long ceiling = Math.min(30_000, 500L << attempt);
      for (int i = 0; i < 200; i++) {
        long delay = RetryBackoff.fullJitterMs(attempt, 500, 30_000);
        assertTrue(delay >= 0 && delay <= ceiling, "attempt " + attempt + " delay " + delay);
      }
    }
  }
}
