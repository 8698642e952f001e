package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A .zip upload through the real HTTP API: one task per supported entry, a batch, its progress and its result zip. */
@ExtendWith(VertxExtension.class)
class BatchUploadTest {
  @TempDir Path dataDir;

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static HttpResponse<Buffer> upload(TestServer server, byte[] zip, String alsoPlain) throws Exception {
    MultipartForm form = MultipartForm.create().attribute("target_lang", "es")
        .binaryFileUpload("file", "project.zip", Buffer.buffer(zip), "application/zip");
    if (alsoPlain != null) {
      form.binaryFileUpload("file", alsoPlain, Buffer.buffer("A plain file.\n"), "text/plain");
    }
    return server.http.post("/api/tasks").sendMultipartForm(form).await(20, TimeUnit.SECONDS);
  }

  @Test
  void aZipBecomesABatchWithProgressAndOneResultZipWithTheFoldersKept(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    try {
      Map<String, String> entries = new LinkedHashMap<>();
      entries.put("book/chapter1.txt", "First chapter.\nIt begins.\n");
      entries.put("book/notes/remarks.md", "# Remarks\n\nSome remarks.\n");
      entries.put("book/tool.exe", "not an image really");
      entries.put("../../outside.txt", "Escaping.\n");
      entries.put("book/empty.txt", "");
      HttpResponse<Buffer> response = upload(server, zip(entries), "loose.txt");
      assertEquals(202, response.statusCode(), response.bodyAsString());
      JsonObject body = response.bodyAsJsonObject();
      assertEquals(3, body.getJsonArray("tasks").size(), "the plain file and the two supported entries: " + body.encode());
      JsonObject batch = body.getJsonArray("batches").getJsonObject(0);
      JsonArray files = batch.getJsonArray("files");
      assertEquals(2, files.size());
      assertEquals("book/chapter1.txt", files.getJsonObject(0).getString("path"));
      JsonArray skipped = batch.getJsonArray("skipped");
      assertEquals(new JsonObject().put("name", "book/tool.exe").put("reason", "unsupported format"), skipped.getJsonObject(0));
      assertEquals("../../outside.txt", skipped.getJsonObject(1).getString("name"));
      assertEquals("book/empty.txt", skipped.getJsonObject(2).getString("name"), "refused alone, as an upload would be");
      assertTrue(skipped.getJsonObject(2).getString("reason").contains("empty"), skipped.encode());
      assertTrue(Files.notExists(dataDir.getParent().resolve("outside.txt")));

      String batchId = batch.getString("batch_id");
      String token = batch.getString("token");
      assertEquals(403, server.http.get("/api/batches/" + batchId + "/result").putHeader("X-Task-Token", "wrong").send()
          .await(5, TimeUnit.SECONDS).statusCode());
      assertEquals(404, server.http.get("/api/batches/b-unknown").send().await(5, TimeUnit.SECONDS).statusCode());
      for (int i = 0; i < files.size(); i++) {
        server.awaitFinished(files.getJsonObject(i).getString("task_id")).await(30, TimeUnit.SECONDS);
      }
      JsonObject status = server.http.get("/api/batches/" + batchId).send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals(2, status.getInteger("files_total"));
      assertEquals(2, status.getInteger("files_done"), status.encode());
      assertEquals(1.0, status.getDouble("progress"), 1e-9);
      assertEquals(0.0, status.getDouble("eta_seconds"));

      HttpResponse<Buffer> result = server.http.get("/api/batches/" + batchId + "/result").putHeader("X-Task-Token", token).send()
          .await(10, TimeUnit.SECONDS);
      assertEquals(200, result.statusCode(), result.bodyAsString());
      Map<String, String> unzipped = new LinkedHashMap<>();
      try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(result.body().getBytes()))) {
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
          unzipped.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      assertEquals(2, unzipped.size(), unzipped.keySet().toString());
      String chapter = unzipped.keySet().stream().filter(n -> n.startsWith("book/chapter1")).findFirst().orElseThrow();
      assertEquals("book/chapter1.es.txt", chapter);
      assertTrue(unzipped.get(chapter).contains("[es] First chapter."), unzipped.get(chapter));
      assertTrue(unzipped.keySet().stream().anyMatch(n -> n.startsWith("book/notes/remarks")), unzipped.keySet().toString());
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aZipBombRefusesTheWholeUploadAndQueuesNothing(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("upload.zipMaxRatio", 50)).await(20, TimeUnit.SECONDS);
    try {
      HttpResponse<Buffer> response = upload(server, zip(Map.of("zeros.txt", "0".repeat(4 << 20))), "loose.txt");
      assertEquals(422, response.statusCode(), response.bodyAsString());
      assertTrue(response.bodyAsJsonObject().getString("message").contains("zip bomb"), response.bodyAsString());
      JsonObject queue = server.http.get("/api/queue").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals(0, queue.getJsonObject("queue").getJsonObject("data").getInteger("queue_length"));
      assertEquals(0, queue.getJsonObject("queue").getJsonObject("data").getJsonArray("running").size());
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }
}
