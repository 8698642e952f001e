package dev.translive.claims;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.HostileDocuments;
import dev.translive.support.Servers;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xwpf.usermodel.XWPFAbstractFootnoteEndnote;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README claims about uploads, each through the real HTTP API of a running service: several files
 * in one request, UTF-16 with BOM, Markdown bilingual, docx endnotes, 422 for corrupt documents and
 * zip bombs.
 */
// Waits end at the awaited event; the limit only stops a test whose event never comes (loaded CI).
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class UploadClaimsTest {
  @RegisterExtension final Servers servers = new Servers();
  private TestServer server;
  private BridgeClient watcher;

  private Future<Void> serverAndWatcher(Vertx vertx) {
    return servers.startWatched(vertx, Map.of()).map(w -> {
      server = w.server();
      watcher = w.watcher();
      return null;
    });
  }

  /** Uploads one file and, once the bridge announced its completion, downloads the result. */
  private Future<HttpResponse<Buffer>> translate(String filename, Buffer bytes, Map<String, String> fields) {
    return server.submitBytes(filename, bytes, fields)
        .compose(task -> watcher.await(BridgeClient.completedOf(task.getString("task_id")))
            .compose(end -> {
              assertEquals("completed", end.body().getJsonObject("data").getString("status"), end.body().encode());
              return server.result(task);
            }))
        .map(result -> {
          assertEquals(200, result.statusCode(), result.bodyAsString());
          return result;
        });
  }

  @Test
  void severalFilesInOneUploadBecomeOneTaskEachAndAllComplete(Vertx vertx, VertxTestContext test) {
    Map<String, Buffer> files = new LinkedHashMap<>();
    files.put("one.txt", Buffer.buffer("First file.\n"));
    files.put("two.md", Buffer.buffer("# Second file\n\nA paragraph.\n"));
    files.put("three.srt", Buffer.buffer("1\n00:00:01,000 --> 00:00:02,000\nThird file.\n"));
    serverAndWatcher(vertx)
        .compose(v -> server.submitFiles(files, Map.of("target_lang", "es")))
        .compose(response -> {
          assertEquals(202, response.statusCode(), response.bodyAsString());
          JsonArray tasks = response.bodyAsJsonObject().getJsonArray("tasks");
          assertEquals(3, tasks.size(), tasks.encodePrettily());
          List<Future<HttpResponse<Buffer>>> results = new ArrayList<>();
          List<String> names = new ArrayList<>(files.keySet());
          for (int i = 0; i < 3; i++) {
            JsonObject task = tasks.getJsonObject(i);
            assertEquals(names.get(i), task.getString("filename"));
            if (i > 0) {
              // Queued in upload order (the first may or may not have started when the reply was made).
              assertTrue(task.getInteger("position") > tasks.getJsonObject(i - 1).getInteger("position"), tasks.encode());
              assertTrue(task.getLong("queue_no") > tasks.getJsonObject(i - 1).getLong("queue_no"), tasks.encode());
            }
            assertTrue(task.getString("token").length() >= 22);
            results.add(watcher.await(BridgeClient.completedOf(task.getString("task_id")))
                .compose(end -> {
                  assertEquals("completed", end.body().getJsonObject("data").getString("status"));
                  return server.result(task);
                }));
          }
          assertEquals(3, tasks.stream().map(t -> ((JsonObject) t).getString("token")).distinct().count(), "a token each");
          return Future.all(results);
        })
        .onComplete(test.succeeding(results -> test.verify(() -> {
          assertEquals("[es] First file.\n", ((HttpResponse<Buffer>) results.resultAt(0)).bodyAsString());
          assertTrue(((HttpResponse<Buffer>) results.resultAt(1)).bodyAsString().contains("# [es] Second file"));
          assertTrue(((HttpResponse<Buffer>) results.resultAt(2)).bodyAsString().contains("00:00:01,000 --> 00:00:02,000\n[es] Third file."));
          test.completeNow();
        })));
  }

  @Test
  void utf16WithByteOrderMarkComesBackInUtf16WithItsMark(Vertx vertx, VertxTestContext test) {
    byte[] utf16 = "\uFEFFHello from UTF-16.\r\nÜber café.\r\n".getBytes(StandardCharsets.UTF_16LE);
    serverAndWatcher(vertx)
        .compose(v -> translate("wide.txt", Buffer.buffer(utf16), Map.of()))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          byte[] bytes = result.body().getBytes();
          assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFE}, java.util.Arrays.copyOf(bytes, 2), "little-endian BOM kept");
          String text = new String(bytes, StandardCharsets.UTF_16LE);
          assertEquals("\uFEFF[es] Hello from UTF-16.\r\n[es] Über café.\r\n", text);
          test.completeNow();
        })));
  }

  @Test
  void markdownBilingualPutsTheOriginalAfterEachTranslatedParagraph(Vertx vertx, VertxTestContext test) {
    String markdown = "# Title\n\nFirst paragraph.\n\n```\ncode stays\n```\n\nLast paragraph.\n";
    serverAndWatcher(vertx)
        .compose(v -> translate("notes.md", Buffer.buffer(markdown), Map.of("bilingual", "true")))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          String out = result.bodyAsString();
          int translated = out.indexOf("[es] First paragraph.");
          assertTrue(translated >= 0, out);
          int original = out.indexOf("First paragraph.", translated + "[es] First paragraph.".length());
          assertTrue(original > translated, "the original follows its translation: " + out);
          assertTrue(out.indexOf("Last paragraph.", out.indexOf("[es] Last paragraph.") + 5) > 0, out);
          assertTrue(out.contains("```\ncode stays\n```"), "code untouched: " + out);
          assertFalse(out.contains("[es] code stays"), out);
          test.completeNow();
        })));
  }

  @Test
  void docxEndnotesWrittenByAnotherToolAreTranslated(Vertx vertx, VertxTestContext test) throws Exception {
    byte[] docx = endnotesDocx(servers.dir("pandoc"));
    serverAndWatcher(vertx)
        .compose(v -> translate("notes.docx", Buffer.buffer(docx), Map.of()))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          try (XWPFDocument out = new XWPFDocument(new ByteArrayInputStream(result.body().getBytes()))) {
            assertTrue(out.getParagraphs().stream().anyMatch(p -> p.getText().contains("[es] The body cites a source.")),
                "the body is translated");
            String endnotes = text(out.getEndnotes());
            assertTrue(endnotes.contains("[es] The endnote explains the source."), "the endnote is translated: " + endnotes);
          }
          test.completeNow();
        })));
  }

  @Test
  void corruptDocumentsAndZipBombsGet422WithTheReasonAndNothingElseIsLost(Vertx vertx, VertxTestContext test) throws Exception {
    byte[] docx = endnotesDocx(servers.dir("pandoc"));
    byte[] truncated = java.util.Arrays.copyOf(docx, docx.length / 2);
    byte[] bomb = HostileDocuments.zipBombDocx(1024);
    serverAndWatcher(vertx)
        .compose(v -> server.submitFiles(Map.of("truncated.docx", Buffer.buffer(truncated)), Map.of()))
        .compose(corrupt -> {
          assertEquals(422, corrupt.statusCode(), corrupt.bodyAsString());
          JsonObject body = corrupt.bodyAsJsonObject();
          assertEquals("unreadable_document", body.getString("error"));
          assertFalse(body.getString("message").contains("Exception"), "no exception text: " + body.getString("message"));
          return server.submitFiles(Map.of("bomb.docx", Buffer.buffer(bomb)), Map.of());
        })
        .compose(refused -> {
          assertEquals(422, refused.statusCode(), refused.bodyAsString());
          JsonObject body = refused.bodyAsJsonObject();
          assertEquals("unreadable_document", body.getString("error"));
          assertTrue(body.getString("message").contains("zip bomb") && body.getString("message").contains("MB"), body.getString("message"));
          // The service goes on: a good document after the bad ones completes.
          return translate("fine.txt", Buffer.buffer("Still working.\n"), Map.of());
        })
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertEquals("[es] Still working.\n", result.bodyAsString());
          test.completeNow();
        })));
  }

  private static String text(List<? extends XWPFAbstractFootnoteEndnote> notes) {
    StringBuilder all = new StringBuilder();
    for (XWPFAbstractFootnoteEndnote note : notes) {
      for (XWPFParagraph p : note.getParagraphs()) {
        all.append(p.getText()).append('\n');
      }
    }
    return all.toString();
  }

  /**
   * A docx written by pandoc from Markdown with a note, its footnote part then turned into an
   * endnote part (what Word's "Convert to endnotes" does): the same XML under the endnote names.
   */
  private static byte[] endnotesDocx(Path dir) throws Exception {
    Path md = dir.resolve("notes.md");
    Path footnotes = dir.resolve("footnotes.docx");
    Files.writeString(md, "The body cites a source.[^1]\n\n[^1]: The endnote explains the source.\n");
    Process pandoc = new ProcessBuilder("pandoc", md.toString(), "-o", footnotes.toString()).redirectErrorStream(true).start();
    assertTrue(pandoc.waitFor(60, TimeUnit.SECONDS), "pandoc finished");
    assertEquals(0, pandoc.exitValue(), new String(pandoc.getInputStream().readAllBytes()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(footnotes)); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        String name = entry.getName().replace("footnotes.xml", "endnotes.xml");
        if (name.endsWith(".xml") || name.endsWith(".rels")) {
          bytes = new String(bytes, StandardCharsets.UTF_8).replace("footnote", "endnote").replace("Footnote", "Endnote")
              .getBytes(StandardCharsets.UTF_8);
        }
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
      }
    }
    byte[] docx = out.toByteArray();
    try (XWPFDocument check = new XWPFDocument(new ByteArrayInputStream(docx))) {
      assertTrue(check.getFootnotes().isEmpty(), "no footnotes left");
      assertTrue(text(check.getEndnotes()).contains("The endnote explains the source."), "the fixture has its endnote");
    }
    return docx;
  }
}
