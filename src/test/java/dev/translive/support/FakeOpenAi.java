package dev.translive.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible /v1/chat/completions server on a free port, for system tests and benchmarks:
 * answers numbered segments ({@code <n>text</n>}) with "ES:text" after a fixed latency, at most
 * {@code concurrency} requests at a time (others wait, as a real backend's queue would), and
 * records every segment it was paid to translate.
 */
public final class FakeOpenAi {
  private static final Pattern NUMBERED = Pattern.compile("<(\\d+)>(.*?)</\\1>", Pattern.DOTALL);
  private final Vertx vertx;
  private final long latencyMs;
  /** Extra latency per word of the answer, as an LLM's time grows with the tokens it writes. */
  private final double msPerWord;
  private final int concurrency;
  private final HttpServer server;
  private final AtomicInteger active = new AtomicInteger();
  private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
  public final List<String> segments = new CopyOnWriteArrayList<>();
  /** When each segment's answer was sent (ms), by segment. */
  public final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger maxActive = new AtomicInteger();

  private FakeOpenAi(Vertx vertx, long latencyMs, double msPerWord, int concurrency) {
    this.vertx = vertx;
    this.latencyMs = latencyMs;
    this.msPerWord = msPerWord;
    this.concurrency = concurrency;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  public static Future<FakeOpenAi> start(Vertx vertx, long latencyMs, int concurrency) {
    return start(vertx, latencyMs, 0, concurrency);
  }

  /** A backend whose answer takes {@code latencyMs} plus {@code msPerWord} for each word it writes. */
  public static Future<FakeOpenAi> start(Vertx vertx, long latencyMs, double msPerWord, int concurrency) {
    FakeOpenAi fake = new FakeOpenAi(vertx, latencyMs, msPerWord, concurrency);
    return fake.server.listen(0, "127.0.0.1").map(s -> fake);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      if (!request.path().endsWith("/chat/completions")) {
        request.response().setStatusCode(404).end();
        return;
      }
      requests.incrementAndGet();
      JsonArray messages = body.toJsonObject().getJsonArray("messages");
      String user = messages.getJsonObject(messages.size() - 1).getString("content");
      synchronized (waiting) {
        waiting.add(() -> answer(request, user));
      }
      drain();
    });
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (waiting) {
        if (active.get() >= concurrency || waiting.isEmpty()) {
          return;
        }
        active.incrementAndGet();
        next = waiting.poll();
      }
      maxActive.accumulateAndGet(active.get(), Math::max);
      next.run();
    }
  }

  private void answer(HttpServerRequest request, String user) {
    long words = msPerWord <= 0 ? 0 : NUMBERED.matcher(user).replaceAll("$2 ").split("\\s+").length;
    vertx.setTimer(Math.max(1, latencyMs + Math.round(words * msPerWord)), id -> {
      StringBuilder reply = new StringBuilder();
      Matcher m = NUMBERED.matcher(user);
      boolean numbered = false;
      long now = System.currentTimeMillis();
      while (m.find()) {
        numbered = true;
        segments.add(m.group(2));
        answeredAt.put(m.group(2), now);
        reply.append('<').append(m.group(1)).append(">ES:").append(m.group(2)).append("</").append(m.group(1)).append(">\n");
      }
      if (!numbered) {
        segments.add(user);
        answeredAt.put(user, now);
        reply.append("ES:").append(user);
      }
      JsonObject completion = new JsonObject().put("id", "fake").put("object", "chat.completion")
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
              .put("message", new JsonObject().put("role", "assistant").put("content", reply.toString()))));
      request.response().putHeader("Content-Type", "application/json").end(completion.encode());
      active.decrementAndGet();
      drain();
    });
  }

  public Future<Void> close() {
    return server.close();
  }
}
