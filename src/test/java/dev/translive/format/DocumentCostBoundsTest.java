package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and oversized documents, made by generators at test time: each is refused at upload from
 * its cheap declared sizes (or as soon as parsing passes a limit) with a 413 or 422 a user
 * understands, and the service keeps serving.
 */
class DocumentCostBoundsTest {
  @TempDir static Path dataDir;
  @TempDir Path dir;
  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // Small configured limits, as an operator would set them, so the generators stay small.
    server = TestServer.start(vertx, dataDir, Map.of("upload.maxSegments", 500, "upload.maxCharacters", 2_000_000,
        "upload.maxPages", 300, "upload.maxMarkupBytes", 8 << 20, "engines.demo.delayMs", 0)).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    ServiceRoundTrip.stop(server, vertx);
  }

  private static JsonObject refused(int status, String name, byte[] content) throws Exception {
    var reply = ServiceRoundTrip.submit(server, name, content, Map.of());
    assertEquals(status, reply.statusCode(), reply.bodyAsString());
    JsonObject body = reply.bodyAsJsonObject();
    String message = body.getString("message");
    assertTrue(!message.contains("Exception") && !message.contains("java."), "no exception text: " + message);
    // The service is still up and answering.
    assertEquals(200, server.http.get("/api/queue").send().await(10, TimeUnit.SECONDS).statusCode());
    return body;
  }

  /** A tiny PDF whose page tree claims {@code declared} pages while holding one. */
  static byte[] pdfClaimingPages(int declared) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      document.addPage(new PDPage());
      document.getPages().getCOSObject().setInt(COSName.COUNT, declared);
      document.save(out);
    }
    return out.toByteArray();
  }

  @Test
  void smallPdfClaimingAHundredMillionPagesIsRefusedFromItsDeclaredCount() throws Exception {
    byte[] pdf = pdfClaimingPages(100_000_000);
    assertTrue(pdf.length < 2_000, "a small file: " + pdf.length);
    String message = refused(413, "claims.pdf", pdf).getString("message");
    assertTrue(message.contains("100,000,000 pages") && message.contains("at most 300"), message);

    // Also directly, within the default limits, without looping over the declared pages.
    Path file = dir.resolve("claims.pdf");
    Files.write(file, pdf);
    assertThrows(DocumentTooLargeException.class, () -> FormatRegistry.discover().forFilename("claims.pdf").extract(file));
  }

  @Test
  void pdfWithMorePagesThanAllowedIsRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      for (int i = 0; i < 301; i++) {
        document.addPage(new PDPage());
      }
      document.save(out);
    }
    String message = refused(413, "long.pdf", out.toByteArray()).getString("message");
    assertTrue(message.contains("301 pages"), message);
  }

  @Test
  void pdfWithABrokenStructureGetsAClear422() throws Exception {
    byte[] garbage = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nxref\nbroken\ntrailer << /Root 1 0 R >>\n%%EOF"
        .getBytes(StandardCharsets.US_ASCII);
    String message = refused(422, "broken.pdf", garbage).getString("message");
    assertTrue(message.contains("PDF"), message);
  }

  @Test
  void textWithMoreSegmentsThanAllowedIsRefusedWhileParsing() throws Exception {
    String message = refused(413, "long.txt", TestServer.sentences(501).getBytes(StandardCharsets.UTF_8)).getString("message");
    assertTrue(message.contains("500 segments"), message);
    // At the limit it is accepted.
    assertEquals(202, ServiceRoundTrip.submit(server, "ok.txt", TestServer.sentences(500).getBytes(StandardCharsets.UTF_8),
        Map.of()).statusCode());
  }

  @Test
  void textWithMoreCharactersThanAllowedIsRefused() throws Exception {
    String line = "a".repeat(5_100) + " words.\n";
    String message = refused(413, "wide.md", line.repeat(400).getBytes(StandardCharsets.UTF_8)).getString("message");
    assertTrue(message.contains("2,000,000 characters"), message);
  }

  /** A .docx of a few MB whose 1.5 million paragraphs expand to 54 MB of XML (the reported payload). */
  static byte[] millionParagraphDocx() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
          .getBytes(StandardCharsets.UTF_8));
      byte[] paragraph = "<w:p><w:r><w:t>Hello</w:t></w:r></w:p>".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 1_500_000; i++) {
        zip.write(paragraph);
      }
      zip.write("</w:body></w:document>".getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** Refused from the expanded sizes in its zip directory, before any XML is parsed. */
  @Test
  void docxExpandingToMoreMarkupThanAllowedIsRefusedBeforeParsing() throws Exception {
    byte[] docx = millionParagraphDocx();
    assertTrue(docx.length < 8 << 20, "a few MB: " + docx.length);
    String message = refused(413, "huge.docx", docx).getString("message");
    assertTrue(message.contains("54 MB") && message.contains("at most 8.0 MB"), message);
  }

  /** A minimal EPUB with one chapter whose XHTML is {@code chapter}. */
  static byte[] epub(String chapter) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("mimetype"));
      zip.write("application/epub+zip".getBytes(StandardCharsets.US_ASCII));
      zip.putNextEntry(new ZipEntry("META-INF/container.xml"));
      zip.write(("<container xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" version=\"1.0\"><rootfiles>"
          + "<rootfile full-path=\"OEBPS/book.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles></container>")
          .getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("OEBPS/book.opf"));
      zip.write(("<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\"><metadata "
          + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>A small book</dc:title></metadata><manifest>"
          + "<item id=\"c1\" href=\"c1.xhtml\" media-type=\"application/xhtml+xml\"/></manifest>"
          + "<spine><itemref idref=\"c1\"/></spine></package>").getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("OEBPS/c1.xhtml"));
      zip.write(chapter.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void epubWhoseChapterDeclaresAnExternalEntityNeverReadsIt() throws Exception {
    String chapter = "<?xml version=\"1.0\"?><!DOCTYPE html [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
        + "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>Hello &secret; world</p></body></html>";
    byte[] result = ServiceRoundTrip.translate(server, "xxe.epub", epub(chapter), Map.of()).body().getBytes();
    String text = new String(OoxmlVisibleText.entries(result).get("OEBPS/c1.xhtml"), StandardCharsets.UTF_8);
    assertTrue(text.contains("[es]") && !text.contains("root:"), text);
  }

  @Test
  void zipThatIsNotABookGetsA422AndOtherContentA415() throws Exception {
    ByteArrayOutputStream docx = new ByteArrayOutputStream();
    try (org.apache.poi.xwpf.usermodel.XWPFDocument document = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
      document.createParagraph().createRun().setText("Not a book");
      document.write(docx);
    }
    assertTrue(refused(422, "renamed.epub", docx.toByteArray()).getString("message").contains("not an EPUB"));
    assertEquals(415, ServiceRoundTrip.submit(server, "paper.epub", pdfClaimingPages(1), Map.of()).statusCode());
  }
}
