package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Office documents and PDFs go through the whole service, from upload to download, and come back right. */
@ExtendWith(VertxExtension.class)
class FormatsThroughServiceTest {
  @TempDir Path dataDir;

  private static HttpResponse<Buffer> roundTrip(TestServer server, String name, byte[] content, String extraField) throws Exception {
    return ServiceRoundTrip.translate(server, name, content, extraField == null ? Map.of() : Map.of(extraField, "true"));
  }

  @Test
  void docxXlsxAndPdfComeBackTranslatedInTheirOwnFormat(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);

    ByteArrayOutputStream docx = new ByteArrayOutputStream();
    try (XWPFDocument doc = new XWPFDocument()) {
      doc.createParagraph().createRun().setText("Quarterly report");
      doc.createTable(1, 2).getRow(0).getCell(1).setText("Revenue grew.");
      doc.write(docx);
    }
    HttpResponse<Buffer> docxResult = roundTrip(server, "report.docx", docx.toByteArray(), "bilingual");
    assertTrue(docxResult.getHeader("Content-Disposition").contains("report.es.docx"));
    try (XWPFDocument out = new XWPFDocument(new ByteArrayInputStream(docxResult.body().getBytes()))) {
      assertEquals("[es] Quarterly report", out.getParagraphs().get(0).getText());
      assertEquals("Quarterly report", out.getParagraphs().get(1).getText(), "bilingual: the original follows");
      var cell = out.getTables().get(0).getRow(0).getCell(1).getParagraphs();
      assertEquals("[es] Revenue grew.", cell.get(0).getText());
      assertEquals("Revenue grew.", cell.get(1).getText());
    }

    ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
    try (XSSFWorkbook book = new XSSFWorkbook()) {
      var row = book.createSheet("Budget").createRow(0);
      row.createCell(0).setCellValue("Travel");
      row.createCell(1).setCellValue(1250.5);
      row.createCell(2).setCellFormula("B1*2");
      book.write(xlsx);
    }
    HttpResponse<Buffer> xlsxResult = roundTrip(server, "budget.xlsx", xlsx.toByteArray(), null);
    try (XSSFWorkbook out = new XSSFWorkbook(new ByteArrayInputStream(xlsxResult.body().getBytes()))) {
      var row = out.getSheet("Budget").getRow(0);
      assertEquals("[es] Travel", row.getCell(0).getStringCellValue());
      assertEquals(1250.5, row.getCell(1).getNumericCellValue());
      assertEquals("B1*2", row.getCell(2).getCellFormula());
    }

    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage();
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        content.beginText();
        content.newLineAtOffset(72, 700);
        content.showText("A scanned world would be harder.");
        content.endText();
      }
      document.save(pdf);
    }
    HttpResponse<Buffer> pdfResult = ServiceRoundTrip.translate(server, "paper.pdf", pdf.toByteArray(), Map.of("output", "docx"));
    assertTrue(pdfResult.getHeader("Content-Disposition").contains("paper.es.docx"), "a PDF comes back as .docx on request");
    try (XWPFDocument out = new XWPFDocument(new ByteArrayInputStream(pdfResult.body().getBytes()))) {
      assertTrue(out.getParagraphs().stream().anyMatch(p -> p.getText().equals("[es] A scanned world would be harder.")));
    }
    server.stop().await(10, TimeUnit.SECONDS);
  }
}
