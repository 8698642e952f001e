package dev.translive.support;

import dev.translive.Translive;
import dev.translive.config.AppConfig;
import dev.translive.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Path;
import java.util.Map;

/** A real Translive deployment for tests: defaults plus overrides, a temp data dir, a free port. */
public final class TestServer {
  public final Vertx vertx;
  public final Translive app;
  public final WebClient http;
  public final int port;

  private TestServer(Vertx vertx, Translive app) {
    this.vertx = vertx;
    this.app = app;
    this.port = app.httpPort();
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** Defaults with the demo engine at the given pace, the data dir in {@code dataDir}, port 0. */
  public static AppConfig config(Path dataDir, Map<String, Object> overrides) {
    AppConfig config = new AppConfig(ConfigLoader.defaults())
        .with("dataDir", dataDir.toString())
        .with("http.port", 0)
        .with("http.webroot", System.getProperty("translive.webroot", "webroot"))
        .with("engine", "demo")
        .with("engines.demo.delayMs", 5);
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      config = config.with(e.getKey(), e.getValue());
    }
    return config;
  }

  public static Future<TestServer> start(Vertx vertx, AppConfig config) {
    return Translive.deploy(vertx, config).map(app -> new TestServer(vertx, app));
  }

  public static Future<TestServer> start(Vertx vertx, Path dataDir, Map<String, Object> overrides) {
    return start(vertx, config(dataDir, overrides));
  }

  /** POSTs one text file; the reply's first task. */
  public Future<JsonObject> submitText(String filename, String content) {
    return submit(filename, content, Map.of()).map(r -> {
      if (r.statusCode() != 202) {
        throw new AssertionError("upload refused: " + r.statusCode() + " " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
    });
  }

  public Future<HttpResponse<Buffer>> submit(String filename, String content, Map<String, String> fields) {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    form.binaryFileUpload("file", filename, Buffer.buffer(content), "application/octet-stream");
    return http.post("/api/tasks").sendMultipartForm(form);
  }

  /** POSTs several files in one request (name to bytes, in order) with {@code fields}. */
  public Future<HttpResponse<Buffer>> submitFiles(Map<String, Buffer> files, Map<String, String> fields) {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    files.forEach((name, bytes) -> form.binaryFileUpload("file", name, bytes, "application/octet-stream"));
    return http.post("/api/tasks").sendMultipartForm(form);
  }

  /** POSTs one file of any bytes; the reply's first task, or an AssertionError naming the refusal. */
  public Future<JsonObject> submitBytes(String filename, Buffer bytes, Map<String, String> fields) {
    return submitFiles(Map.of(filename, bytes), fields).map(r -> {
      if (r.statusCode() != 202) {
        throw new AssertionError("upload refused: " + r.statusCode() + " " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
    });
  }

  public Future<JsonObject> task(String taskId) {
    return http.get("/api/tasks/" + taskId).send().map(HttpResponse::bodyAsJsonObject);
  }

  /**
   * The task once it reached a final status: its task_completed on the bus is the event (the queue
   * records the final status before that is published); a task already finished answers at once.
   */
  public Future<JsonObject> awaitFinished(String taskId) {
    Promise<Void> ended = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("translive.progress", message -> {
      JsonObject m = message.body();
      if ("task_completed".equals(m.getString("type")) && taskId.equals(m.getString("task_id"))) {
        ended.tryComplete();
      }
    });
    return consumer.completion()
        .compose(v -> task(taskId))
        .compose(t -> isFinal(t) ? Future.succeededFuture(t) : ended.future().compose(v -> task(taskId)))
        .eventually(consumer::unregister);
  }

  private static boolean isFinal(JsonObject task) {
    return switch (task.getString("status", "")) {
      case "completed", "failed", "cancelled" -> true;
      default -> false;
    };
  }

  private Future<Void> stopped;

  /** Undeploys once; later calls return the same result (a test and {@link Servers} may both stop it). */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      http.close();
      stopped = app.undeploy();
    }
    return stopped;
  }

  /** DELETE /api/tasks/{id} with the task's token. */
  public Future<HttpResponse<Buffer>> cancel(JsonObject task) {
    return http.delete("/api/tasks/" + task.getString("task_id")).putHeader("X-Task-Token", task.getString("token")).send();
  }

  /** GET /api/tasks/{id}/result with the task's token. */
  public Future<HttpResponse<Buffer>> result(JsonObject task) {
    return http.get("/api/tasks/" + task.getString("task_id") + "/result").putHeader("X-Task-Token", task.getString("token")).send();
  }

  /** "line 1\nline 2\n..." with {@code n} distinct sentences. */
  public static String sentences(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      text.append("Sentence number ").append(i).append(" is here.\n");
    }
    return text.toString();
  }
}
