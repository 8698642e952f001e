package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PDF through the real service: a PDF back by default, a .docx with output=docx, clear refusals. */
class PdfThroughServiceTest {
  @TempDir static Path dataDir;
  @TempDir Path dir;
  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 0)).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    ServiceRoundTrip.stop(server, vertx);
  }

  private static byte[] twoPages() throws Exception {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      for (String text : List.of("Apples grow on the first page.", "Rivers flow on the second page.")) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText(text);
          content.endText();
        }
      }
      document.save(pdf);
    }
    return pdf.toByteArray();
  }

  @Test
  void pdfComesBackAsPdfWithEachTranslationOnItsPage() throws Exception {
    var result = ServiceRoundTrip.translate(server, "orchard.pdf", twoPages(), Map.of());
    assertTrue(result.getHeader("Content-Disposition").contains("orchard.es.pdf"), result.getHeader("Content-Disposition"));
    Path out = dir.resolve("out.pdf");
    Files.write(out, result.body().getBytes());
    assertEquals(2, PdfLayoutTest.pageCount(out));
    assertTrue(PdfLayoutTest.pdftotext(out, 1).contains("[es] Apples grow on the first page."), PdfLayoutTest.pdftotext(out, 1));
    assertTrue(PdfLayoutTest.pdftotext(out, 2).contains("[es] Rivers flow on the second page."), PdfLayoutTest.pdftotext(out, 2));
  }

  @Test
  void bilingualPdfAlternatesOriginalAndTranslatedPages() throws Exception {
    var result = ServiceRoundTrip.translate(server, "orchard.pdf", twoPages(), Map.of("bilingual", "true"));
    Path out = dir.resolve("bilingual.pdf");
    Files.write(out, result.body().getBytes());
    assertEquals(4, PdfLayoutTest.pageCount(out));
    assertTrue(PdfLayoutTest.pdftotext(out, 3).contains("Rivers flow") && !PdfLayoutTest.pdftotext(out, 3).contains("[es]"));
    assertTrue(PdfLayoutTest.pdftotext(out, 4).contains("[es] Rivers flow"));
  }

  @Test
  void outputDocxGivesTheDocxAndAnUnofferedOutputIsA400() throws Exception {
    var result = ServiceRoundTrip.translate(server, "orchard.pdf", twoPages(), Map.of("output", "docx"));
    assertTrue(result.getHeader("Content-Disposition").contains("orchard.es.docx"), result.getHeader("Content-Disposition"));
    try (XWPFDocument docx = new XWPFDocument(new java.io.ByteArrayInputStream(result.body().getBytes()))) {
      assertEquals("[es] Apples grow on the first page.", docx.getParagraphs().get(0).getText());
    }
    var refused = ServiceRoundTrip.submit(server, "orchard.pdf", twoPages(), Map.of("output", "xlsx"));
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    assertTrue(refused.bodyAsJsonObject().getString("message").contains("available: pdf, docx"), refused.bodyAsString());
  }

  /** Services on the bus choose the output with the {@code output} header; the result follows it. */
  @Test
  void busSubmissionTakesTheOutputHeader() throws Exception {
    io.vertx.core.eventbus.DeliveryOptions headers = new io.vertx.core.eventbus.DeliveryOptions()
        .addHeader("filename", "orchard.pdf").addHeader("output", "docx");
    io.vertx.core.json.JsonObject reply = server.vertx.eventBus().<io.vertx.core.json.JsonObject>request(
        "translive.tasks.submit", io.vertx.core.buffer.Buffer.buffer(twoPages()), headers).await(30, TimeUnit.SECONDS).body();
    io.vertx.core.json.JsonObject done = server.awaitFinished(reply.getString("task_id")).await(60, TimeUnit.SECONDS);
    assertEquals("completed", done.getString("status"), done.encode());
    var result = server.http.get("/api/tasks/" + reply.getString("task_id") + "/result")
        .putHeader("X-Task-Token", reply.getString("token")).send().await(30, TimeUnit.SECONDS);
    assertTrue(result.getHeader("Content-Disposition").contains("orchard.es.docx"), result.getHeader("Content-Disposition"));
  }

  /** A real 10,000-page PDF (not just a declared count): refused at upload with the counts. */
  @Test
  void tenThousandPagePdfIsA413() throws Exception {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      for (int i = 0; i < 10_000; i++) {
        document.addPage(new PDPage());
      }
      document.save(pdf);
    }
    var reply = ServiceRoundTrip.submit(server, "huge.pdf", pdf.toByteArray(), Map.of());
    assertEquals(413, reply.statusCode(), reply.bodyAsString());
    assertTrue(reply.bodyAsJsonObject().getString("message").contains("10,000 pages"), reply.bodyAsString());
  }
}
