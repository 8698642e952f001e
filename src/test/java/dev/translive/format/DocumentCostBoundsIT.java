package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.ServiceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reported attack on the packaged service in a 512 MB heap, with the default limits: three
 * 1 KB PDFs claiming 100,000,000 pages and four 1.5-million-paragraph .docx files at once. Each gets
 * a 413 from its declared sizes, the queue keeps answering, another user's task completes and the
 * JVM never runs out of memory.
 */
class DocumentCostBoundsIT {
  @TempDir Path work;

  @Test
  void hostileDocumentsAtOnceCostNothingAndHurtNobody() throws Exception {
    ServiceProcess service = ServiceProcess.start(work, ServiceProcess.freePort(),
        ServiceProcess.env("TRANSLIVE_ENGINE", "demo", "TRANSLIVE_DEMO_DELAY_MS", "1"), "service.log");
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(service.port));
    try {
      byte[] pdf = DocumentCostBoundsTest.pdfClaimingPages(100_000_000);
      byte[] docx = DocumentCostBoundsTest.millionParagraphDocx();
      List<Future<HttpResponse<Buffer>>> hostile = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        hostile.add(upload(http, "claims-" + i + ".pdf", pdf));
      }
      for (int i = 0; i < 4; i++) {
        hostile.add(upload(http, "paragraphs-" + i + ".docx", docx));
      }
      HttpResponse<Buffer> other = upload(http, "letter.txt", "Dear friend, the garden is green.\n".getBytes(StandardCharsets.UTF_8))
          .await(60, TimeUnit.SECONDS);
      for (Future<HttpResponse<Buffer>> reply : hostile) {
        HttpResponse<Buffer> response = reply.await(60, TimeUnit.SECONDS);
        assertEquals(413, response.statusCode(), response.bodyAsString());
      }
      assertEquals(200, http.get("/api/queue").send().await(10, TimeUnit.SECONDS).statusCode());
      assertEquals(202, other.statusCode(), other.bodyAsString());
      String taskId = other.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0).getString("task_id");
      JsonObject task = awaitFinished(vertx, http, taskId).await(60, TimeUnit.SECONDS);
      assertEquals("completed", task.getString("status"), task.encode());
      assertTrue(service.alive());
      assertFalse(Files.readString(service.log).contains("OutOfMemoryError"), service.tail());
    } finally {
      http.close();
      vertx.close().await(20, TimeUnit.SECONDS);
      service.stop();
    }
  }

  private static Future<HttpResponse<Buffer>> upload(WebClient http, String name, byte[] content) {
    return http.post("/api/tasks").sendMultipartForm(
        MultipartForm.create().binaryFileUpload("file", name, Buffer.buffer(content), "application/octet-stream"));
  }

  private static Future<JsonObject> awaitFinished(Vertx vertx, WebClient http, String taskId) {
    return http.get("/api/tasks/" + taskId).send().map(HttpResponse::bodyAsJsonObject).compose(t ->
        List.of("completed", "failed", "cancelled").contains(t.getString("status")) ? Future.succeededFuture(t)
            : vertx.timer(50).compose(v -> awaitFinished(vertx, http, taskId)));
  }
}
