package dev.translive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gets its status and a message naming the problem; other tasks are unaffected. */
@ExtendWith(VertxExtension.class)
class BadInputTest {
  @TempDir Path dataDir;

  @Test
  void eachBadUploadGetsAClearErrorAndAGoodTaskBesideItCompletes(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("upload.maxBytes", 4096, "upload.maxFiles", 2,
        "engines.demo.delayMs", 50, "engines.demo.batchSize", 1)).await(20, TimeUnit.SECONDS);
    JsonObject good = server.submitText("good.txt", TestServer.sentences(10)).await(5, TimeUnit.SECONDS);

    assertError(server.submit("big.txt", "x".repeat(10_000), Map.of()), 413, "too_large", "limit of 4 KB");
    assertError(server.submit("empty.txt", "", Map.of()), 400, "bad_request", "empty");
    assertError(server.submit("tool.exe", "MZ binary", Map.of()), 415, "unsupported_format", ".docx");
    assertError(server.submit("fake.docx", "plain text pretending", Map.of()), 415, "unsupported_format", "not a .docx");
    assertError(server.submit("bad.txt", "Hello.", Map.of("target_lang", "../../etc")), 400, "bad_request", "target_lang");
    assertError(server.submit("same.txt", "Hello.", Map.of("target_lang", "en")), 400, "bad_request", "source_lang");
    assertError(server.submit("x.txt", "Hello.", Map.of("engine", "nope")), 400, "bad_request", "unknown engine");
    assertError(server.submit("only-spaces.txt", "   \n\n  ", Map.of()), 422, "unreadable_document", "no text");
    MultipartForm three = MultipartForm.create();
    for (int i = 0; i < 3; i++) {
      three.binaryFileUpload("file", "f" + i + ".txt", Buffer.buffer("Hello."), "text/plain");
    }
    assertError(server.http.post("/api/tasks").sendMultipartForm(three), 400, "bad_request", "limit is 2");
    assertError(server.http.post("/api/tasks").sendJsonObject(new JsonObject()), 400, "bad_request", "'file'");

    // Path traversal and control characters never reach the disk or the name shown.
    JsonObject sneaky = server.submitText("../../etc/pass\u0000wd\u202e.txt", "Hello there.").await(5, TimeUnit.SECONDS);
    assertEquals("passwd.txt", sneaky.getString("filename"));
    try (Stream<Path> files = Files.walk(dataDir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("passwd")), "stored paths never come from the client");
    }

    assertEquals("completed", server.awaitFinished(good.getString("task_id")).await(20, TimeUnit.SECONDS).getString("status"));
    try (Stream<Path> incoming = Files.list(dataDir.resolve("incoming"))) {
      assertEquals(0, incoming.count(), "refused uploads leave nothing behind");
    }
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anOversizedUploadIsRefusedFromItsHeadersWithoutReadingTheBody(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("upload.maxBytes", 1_000_000)).await(20, TimeUnit.SECONDS);
    try (Socket socket = new Socket("127.0.0.1", server.port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
          + "Content-Length: 500000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Nothing of the 500 MB body is sent: the answer must come from the headers alone.
      String response = readHead(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      assertTrue(response.toLowerCase().contains("connection: close"), response);
    }
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void lowDiskSpaceAnswers507AndSubmissionFloodsAnswer429WithRetryAfter(Vertx vertx) throws Exception {
    TestServer full = TestServer.start(vertx, dataDir, Map.of("upload.minFreeBytes", Long.MAX_VALUE / 2)).await(20, TimeUnit.SECONDS);
    assertError(full.submit("a.txt", "Hello.", Map.of()), 507, "insufficient_storage", "disk space");
    full.stop().await(10, TimeUnit.SECONDS);

    TestServer limited = TestServer.start(vertx, dataDir, Map.of("upload.perClientPerMinute", 6, "upload.perClientBurst", 2))
        .await(20, TimeUnit.SECONDS);
    assertEquals(202, limited.submit("1.txt", "One.", Map.of()).await(5, TimeUnit.SECONDS).statusCode());
    assertEquals(202, limited.submit("2.txt", "Two.", Map.of()).await(5, TimeUnit.SECONDS).statusCode());
    HttpResponse<Buffer> refused = limited.submit("3.txt", "Three.", Map.of()).await(5, TimeUnit.SECONDS);
    assertEquals(429, refused.statusCode());
    assertEquals("too_many_requests", refused.bodyAsJsonObject().getString("error"));
    int retryAfter = Integer.parseInt(refused.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
    limited.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void hiddenFileNamesShowLabelsToEveryoneButTheOwner(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("queue.showFilenames", false,
        "engines.demo.delayMs", 100, "engines.demo.batchSize", 1)).await(20, TimeUnit.SECONDS);
    var watcher = dev.translive.support.BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    JsonObject task = server.submitText("salaries-2026.txt", TestServer.sentences(5)).await(5, TimeUnit.SECONDS);
    String id = task.getString("task_id");
    watcher.await(dev.translive.support.BridgeClient.completedOf(id)).await(20, TimeUnit.SECONDS);
    for (var frame : watcher.frames) {
      assertFalse(frame.json().encode().contains("salaries"), "file name broadcast: " + frame.json().encode());
    }
    assertTrue(watcher.frames.stream().anyMatch(f -> f.json().encode().contains("document ")));
    JsonObject anonymous = server.task(id).await(5, TimeUnit.SECONDS);
    assertTrue(anonymous.getString("filename").startsWith("document "), anonymous.encode());
    JsonObject owner = server.http.get("/api/tasks/" + id).putHeader("X-Task-Token", task.getString("token"))
        .send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
    assertEquals("salaries-2026.txt", owner.getString("filename"));
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void forwardedAddressesCountOnlyFromTrustedProxiesAndEachFileCounts(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("upload.perClientPerMinute", 1, "upload.perClientBurst", 2,
        "http.trustedProxies", new io.vertx.core.json.JsonArray().add("127.0.0.1"))).await(20, TimeUnit.SECONDS);
    try {
      // Through the trusted proxy (127.0.0.1) two users have a bucket each; two files empty one.
      assertEquals(202, submitAs(server.http, "203.0.113.1", 2).await(5, TimeUnit.SECONDS).statusCode());
      assertError(submitAs(server.http, "203.0.113.1", 1), 429, "too_many_requests", "files");
      assertEquals(202, submitAs(server.http, "203.0.113.2", 1).await(5, TimeUnit.SECONDS).statusCode());
      // A client at 127.0.0.2 is no proxy: its forwarding header is ignored, so changing it does not help.
      WebClient direct = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port)
          .setLocalAddress("127.0.0.2"));
      assertEquals(202, submitAs(direct, "198.51.100.1", 2).await(5, TimeUnit.SECONDS).statusCode());
      assertError(submitAs(direct, "198.51.100.2", 1), 429, "too_many_requests", "files");
      direct.close();
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverErrorsCarryAnErrorIdAndNoExceptionText(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("queue.maxQueued", 0)).await(20, TimeUnit.SECONDS);
    var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    log.start();
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ClientErrors.class);
    logger.addAppender(log);
    try {
      HttpResponse<Buffer> full = server.submit("a.txt", "Hello.", Map.of()).await(5, TimeUnit.SECONDS);
      assertEquals(503, full.statusCode(), full.bodyAsString());
      JsonObject body = full.bodyAsJsonObject();
      assertEquals("queue_full", body.getString("error"));
      assertTrue(body.getString("error_id").matches("[0-9a-f]{12}"), body.encode());
      assertFalse(body.getString("message").contains("Exception"), body.encode());
      assertEquals("nosniff", full.getHeader("X-Content-Type-Options"));
      String id = body.getString("error_id");
      assertTrue(log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("error_id=" + id)), "the id the client got is in the log");
    } finally {
      logger.detachAppender(log);
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  private static io.vertx.core.Future<HttpResponse<Buffer>> submitAs(WebClient client, String forwardedFor, int files) {
    MultipartForm form = MultipartForm.create();
    for (int i = 0; i < files; i++) {
      form.binaryFileUpload("file", "f" + i + ".txt", Buffer.buffer("Hello there."), "text/plain");
    }
    return client.post("/api/tasks").putHeader("X-Forwarded-For", forwardedFor).sendMultipartForm(form);
  }

  private static void assertError(io.vertx.core.Future<HttpResponse<Buffer>> request, int status, String code, String mentions)
      throws Exception {
    HttpResponse<Buffer> response = request.await(10, TimeUnit.SECONDS);
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(code, body.getString("error"), body.encode());
    assertTrue(body.getString("message").contains(mentions), "message should mention '" + mentions + "': " + body.getString("message"));
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }
}
