package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.translive.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Uploads one file to a running service, waits for its task to finish and downloads the result. */
final class ServiceRoundTrip {
  private ServiceRoundTrip() {}

  /** The reply to uploading one file. */
  static HttpResponse<Buffer> submit(TestServer server, String name, byte[] content, Map<String, String> fields)
      throws Exception {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    form.binaryFileUpload("file", name, Buffer.buffer(content), "application/octet-stream");
    return server.http.post("/api/tasks").sendMultipartForm(form).await(60, TimeUnit.SECONDS);
  }

  /** The finished task's result; fails the test unless the task completed. */
  static HttpResponse<Buffer> translate(TestServer server, String name, byte[] content, Map<String, String> fields)
      throws Exception {
    var accepted = submit(server, name, content, fields);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    JsonObject task = accepted.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
    JsonObject done;
    try {
      done = server.awaitFinished(task.getString("task_id")).await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("stuck: " + server.task(task.getString("task_id")).await(5, TimeUnit.SECONDS).encode());
    }
    assertEquals("completed", done.getString("status"), done.encode());
    return server.http.get("/api/tasks/" + task.getString("task_id") + "/result")
        .putHeader("X-Task-Token", task.getString("token")).send().await(30, TimeUnit.SECONDS);
  }

  /** Stops a test's service and then its Vert.x, even when stopping the service fails. */
  static void stop(TestServer server, io.vertx.core.Vertx vertx) throws Exception {
    try {
      if (server != null) {
        server.stop().await(20, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
