package dev.translive.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server on a free port that plays a translation backend. Tests script the answer per
 * request; the server counts requests and the peak number answered concurrently.
 */
final class FakeHttpBackend {

  /** Answers one request; may answer later or never (to simulate a hung backend). */
  interface Responder {
    void respond(FakeHttpBackend backend, HttpServerRequest request, Buffer body, int requestNumber);
  }

  record Received(String method, String path, String authorization, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  final Vertx vertx;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger active = new AtomicInteger();
  final AtomicInteger maxActive = new AtomicInteger();
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Responder responder;

  private FakeHttpBackend(Vertx vertx, Responder responder) {
    this.vertx = vertx;
    this.responder = responder;
    this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      int number = requests.incrementAndGet();
      int now = active.incrementAndGet();
      maxActive.accumulateAndGet(now, Math::max);
      received.add(new Received(request.method().name(), request.path(), request.getHeader("Authorization"), body));
      this.responder.respond(this, request, body, number);
    }));
  }

  static FakeHttpBackend start(Vertx vertx, Responder responder) {
    FakeHttpBackend backend = new FakeHttpBackend(vertx, responder);
    await(backend.server.listen(0, "127.0.0.1"));
    return backend;
  }

  void responder(Responder responder) {
    this.responder = responder;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  void reply(HttpServerRequest request, int status, Object body) {
    active.decrementAndGet();
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body instanceof String s ? s : io.vertx.core.json.Json.encode(body));
  }

  void replyLater(HttpServerRequest request, long delayMs, int status, Object body) {
    vertx.setTimer(delayMs, id -> reply(request, status, body));
  }

  void close() {
    await(server.close());
  }

  /** Waits for a future from the test thread (never an event loop). */
  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success but failed: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Waits for a future that must fail and returns its failure. */
  static Throwable awaitFailure(Future<?> future) {
    CompletableFuture<?> completable = future.toCompletionStage().toCompletableFuture();
    try {
      Object value = completable.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected failure but succeeded with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
