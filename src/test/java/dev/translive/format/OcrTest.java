package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans and photos of text go through Tesseract (Debian's tesseract-ocr) and come back translated. */
class OcrTest {
  @TempDir static Path dataDir;
  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(Ocr.available(), "tesseract-ocr is required: scripts/install-deps.sh test");
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 0)).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    ServiceRoundTrip.stop(server, vertx);
  }

  /** A page-like image with lines of large, clear text. */
  static BufferedImage scan(String... lines) {
    BufferedImage image = new BufferedImage(1400, 200 + 90 * lines.length, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SERIF, Font.PLAIN, 48));
    for (int i = 0; i < lines.length; i++) {
      g.drawString(lines[i], 80, 130 + 90 * i);
    }
    g.dispose();
    return image;
  }

  /** A PDF of page images (no text layer), one per text. */
  static ByteArrayOutputStream scannedPdf(String... pageTexts) throws Exception {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      for (String text : pageTexts) {
        PDPage page = new PDPage();
        document.addPage(page);
        var image = LosslessFactory.createFromImage(document, scan(text));
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.drawImage(image, 36, 600, 540, 540f * image.getHeight() / image.getWidth());
        }
      }
      document.save(pdf);
    }
    return pdf;
  }

  private static List<String> docxParagraphs(byte[] docx) throws Exception {
    try (XWPFDocument document = new XWPFDocument(new ByteArrayInputStream(docx))) {
      return document.getParagraphs().stream().map(XWPFParagraph::getText).toList();
    }
  }

  @Test
  void photoOfTextComesBackAsAPdfPageWithTheTranslationOverTheImage(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(scan("The river is wide here."), "png", png);
    var result = ServiceRoundTrip.translate(server, "river.png", png.toByteArray(), Map.of());
    assertTrue(result.getHeader("Content-Disposition").contains("river.es.pdf"), result.getHeader("Content-Disposition"));
    Path out = dir.resolve("river.es.pdf");
    java.nio.file.Files.write(out, result.body().getBytes());
    assertEquals(List.of(1), PdfLayoutTest.imagesPerPage(out), "one page, the photo kept on it");
    assertTrue(PdfLayoutTest.pdftotext(out, 1).contains("[es] The river is wide here."), PdfLayoutTest.pdftotext(out, 1));
  }

  @Test
  void photoOfTextComesBackAsTranslatedDocxOnRequest() throws Exception {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(scan("The garden is green today."), "png", png);
    var result = ServiceRoundTrip.translate(server, "note.png", png.toByteArray(), Map.of("output", "docx"));
    assertTrue(result.getHeader("Content-Disposition").contains("note.es.docx"), result.getHeader("Content-Disposition"));
    List<String> paragraphs = docxParagraphs(result.body().getBytes());
    assertEquals(List.of("[es] The garden is green today."), paragraphs);
  }

  @Test
  void scannedPdfIsRecognisedPageByPage() throws Exception {
    ByteArrayOutputStream pdf = scannedPdf("The first page talks about trees.", "The second page talks about water.");
    var result = ServiceRoundTrip.translate(server, "scan.pdf", pdf.toByteArray(), Map.of("output", "docx"));
    try (XWPFDocument document = new XWPFDocument(new ByteArrayInputStream(result.body().getBytes()))) {
      List<XWPFParagraph> paragraphs = document.getParagraphs();
      assertEquals(List.of("[es] The first page talks about trees.", "[es] The second page talks about water."),
          paragraphs.stream().map(XWPFParagraph::getText).toList());
      assertTrue(paragraphs.get(1).isPageBreak(), "each scanned page starts a page");
    }
  }

  /** The default for a scan: the same pages and page images, each translation drawn over its scanned words. */
  @Test
  void scannedPdfComesBackAsPdfWithTheTranslationOverEachPage(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream pdf = scannedPdf("The first page talks about trees.", "The second page talks about water.");
    Path source = dir.resolve("scan.pdf");
    java.nio.file.Files.write(source, pdf.toByteArray());
    var result = ServiceRoundTrip.translate(server, "scan.pdf", pdf.toByteArray(), Map.of());
    assertTrue(result.getHeader("Content-Disposition").contains("scan.es.pdf"), result.getHeader("Content-Disposition"));
    Path out = dir.resolve("scan.es.pdf");
    java.nio.file.Files.write(out, result.body().getBytes());
    assertEquals(2, PdfLayoutTest.pageCount(out));
    assertEquals(PdfLayoutTest.imagesPerPage(source), PdfLayoutTest.imagesPerPage(out), "the page images are kept");
    assertTrue(PdfLayoutTest.pdftotext(out, 1).contains("[es] The first page talks about trees."), PdfLayoutTest.pdftotext(out, 1));
    assertTrue(PdfLayoutTest.pdftotext(out, 2).contains("[es] The second page talks about water."), PdfLayoutTest.pdftotext(out, 2));
  }

  /** Text recognition reports page by page, for the task's extracting stage. */
  @Test
  void recognitionReportsEachPage(@TempDir Path dir) throws Exception {
    Path source = dir.resolve("progress-scan.pdf");
    java.nio.file.Files.write(source, scannedPdf("Progress is reported for page one.", "Progress is reported for page two.").toByteArray());
    List<String> reports = new java.util.ArrayList<>();
    var extraction = new PdfFormat().extract(source, FormatLimits.DEFAULTS, (done, total, description) -> reports.add(
        done + "/" + total + " " + description));
    assertEquals(List.of("0/2 Recognizing text, page 1/2", "1/2 Recognizing text, page 2/2"), reports);
    assertEquals(2, extraction.segments().size(), extraction.segments().toString());
  }

  @Test
  void imageClaimingBillionsOfPixelsIsRefusedFromItsHeader() throws Exception {
    // A PNG header declaring 100,000 x 100,000 pixels, with almost no data.
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", png);
    byte[] bytes = png.toByteArray();
    java.nio.ByteBuffer.wrap(bytes, 16, 8).putInt(100_000).putInt(100_000);
    var reply = ServiceRoundTrip.submit(server, "huge.png", bytes, Map.of());
    assertEquals(422, reply.statusCode(), reply.bodyAsString());
    assertTrue(reply.bodyAsJsonObject().getString("message").contains("10,000,000,000 pixels"), reply.bodyAsString());
  }

  @Test
  void scanWithMorePagesThanTextRecognitionTakesOnIsRefusedBeforeReadingAny() throws Exception {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      var image = LosslessFactory.createFromImage(document, scan("A page."));
      for (int i = 0; i <= Ocr.MAX_PAGES; i++) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.drawImage(image, 36, 600, 540, 100);
        }
      }
      document.save(pdf);
    }
    var reply = ServiceRoundTrip.submit(server, "long-scan.pdf", pdf.toByteArray(), Map.of());
    assertEquals(413, reply.statusCode(), reply.bodyAsString());
    assertTrue(reply.bodyAsJsonObject().getString("message").contains("201 pages"), reply.bodyAsString());
  }
}
