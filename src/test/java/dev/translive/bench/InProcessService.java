package dev.translive.bench;

import dev.translive.Translive;
import dev.translive.config.AppConfig;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service deployed inside the benchmark JVM, for what only the local event bus can reach
 * (translive.tasks.submit) and for timings where a second process adds nothing.
 */
final class InProcessService implements AutoCloseable {
  final Vertx vertx;
  final Translive app;
  final Path dataDir;
  /** The configuration it runs with: embedded defaults plus the benchmark's overrides. */
  final AppConfig config;
  /** task_completed bodies by task id, whether the completion or the wait comes first. */
  private final Map<String, Promise<JsonObject>> completions = new ConcurrentHashMap<>();

  private InProcessService(Vertx vertx, Translive app, Path dataDir, AppConfig config) {
    this.vertx = vertx;
    this.app = app;
    this.dataDir = dataDir;
    this.config = config;
  }

  static InProcessService start(String name, Map<String, Object> overrides) throws Exception {
    Path dataDir = Files.createTempDirectory("translive-bench-" + name + "-");
    // Default pools, as Main has; BENCH_WORKER_POOL only for experiments (blocking intake runs there).
    String workers = System.getenv("BENCH_WORKER_POOL");
    Vertx vertx = Vertx.vertx(workers == null ? new VertxOptions() : new VertxOptions().setWorkerPoolSize(Integer.parseInt(workers)));
    AppConfig config = TestServer.config(dataDir, overrides);
    Translive app = Translive.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    InProcessService service = new InProcessService(vertx, app, dataDir, config);
    vertx.eventBus().<JsonObject>consumer("translive.progress", msg -> {
      JsonObject body = msg.body();
      if ("task_completed".equals(body.getString("type"))) {
        service.completion(body.getString("task_id")).tryComplete(body);
      }
    }).completion().await(10, TimeUnit.SECONDS);
    return service;
  }

  int port() {
    return app.httpPort();
  }

  private Promise<JsonObject> completion(String taskId) {
    return completions.computeIfAbsent(taskId, id -> Promise.promise());
  }

  /** Submits over the event bus, as another service would; the reply is {task_id, token, position}. */
  Future<JsonObject> submit(String filename, Buffer document, String engine) {
    DeliveryOptions headers = new DeliveryOptions().addHeader("filename", filename)
        .addHeader("source_lang", "en").addHeader("target_lang", "es").setSendTimeout(120_000);
    if (engine != null) {
      headers.addHeader("engine", engine);
    }
    return vertx.eventBus().<JsonObject>request("translive.tasks.submit", document, headers).map(m -> m.body());
  }

  /** The task's task_completed message. */
  Future<JsonObject> completed(String taskId) {
    return completion(taskId).future();
  }

  /** Submits and waits for the end; the task_completed body with "elapsed_seconds" (submit to completion) added. */
  JsonObject runToCompletion(String filename, Buffer document, String engine, long timeoutSeconds) throws Exception {
    long start = System.nanoTime();
    JsonObject reply = submit(filename, document, engine).await(timeoutSeconds, TimeUnit.SECONDS);
    JsonObject done = completed(reply.getString("task_id")).await(timeoutSeconds, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (!"completed".equals(done.getJsonObject("data").getString("status"))) {
      throw new IllegalStateException("task did not complete: " + done.encode());
    }
    return done.copy().put("elapsed_seconds", elapsed).put("task_id", reply.getString("task_id"));
  }

  /** The queue owner's history entry of a finished task (translate_seconds, duration_seconds, ...). */
  JsonObject historyEntry(String taskId) throws Exception {
    JsonObject history = vertx.eventBus().<JsonObject>request("translive.internal.queue.history", new JsonObject())
        .await(10, TimeUnit.SECONDS).body();
    return history.getJsonArray("tasks").stream().map(JsonObject.class::cast)
        .filter(t -> taskId.equals(t.getString("task_id"))).findFirst().orElse(new JsonObject());
  }

  @Override
  public void close() throws Exception {
    try {
      app.undeploy().await(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
