package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlsxFormatTest {

  @TempDir Path dir;
  private final XlsxFormat format = new XlsxFormat();

  private Path sampleWorkbook() throws Exception {
    Path file = dir.resolve("book.xlsx");
    try (XSSFWorkbook workbook = new XSSFWorkbook()) {
      XSSFSheet data = workbook.createSheet("Data");
      XSSFRow header = data.createRow(0);
      header.createCell(0).setCellValue("Name");
      header.createCell(1).setCellValue(42);
      header.createCell(2).setCellFormula("B1*2");
      XSSFCellStyle bold = workbook.createCellStyle();
      XSSFFont font = workbook.createFont();
      font.setBold(true);
      bold.setFont(font);
      header.getCell(0).setCellStyle(bold);
      data.createRow(1).createCell(0).setCellValue("Apple");
      data.createRow(2).createCell(0).setCellValue("Apple"); // duplicate kept
      data.createRow(3).createCell(0).setCellValue("   "); // blank: not a segment
      XSSFRow summary = workbook.createSheet("Summary").createRow(0);
      summary.createCell(0).setCellValue("Total");
      summary.createCell(1).setCellFormula("SUM(Data!B1:B3)");
      try (OutputStream out = Files.newOutputStream(file)) {
        workbook.write(out);
      }
    }
    return file;
  }

  @Test
  void extractsStringCellsOnly() throws Exception {
    assertEquals(List.of("Name", "Apple", "Apple", "Total"), format.extract(sampleWorkbook()).segments());
  }

  @Test
  void writesTranslationsLeavingNumbersFormulasAndSheetNames() throws Exception {
    var extraction = format.extract(sampleWorkbook());
    Path target = dir.resolve("out.xlsx");
    extraction.write(extraction.segments().stream().map(s -> "ES:" + s).toList(), target, true);
    try (XSSFWorkbook out = new XSSFWorkbook(Files.newInputStream(target))) {
      assertEquals(2, out.getNumberOfSheets());
      assertEquals("Data", out.getSheetName(0));
      assertEquals("Summary", out.getSheetName(1));
      XSSFSheet data = out.getSheet("Data");
      assertEquals("ES:Name", data.getRow(0).getCell(0).getStringCellValue());
      assertTrue(out.getFontAt(data.getRow(0).getCell(0).getCellStyle().getFontIndex()).getBold());
      assertEquals(42.0, data.getRow(0).getCell(1).getNumericCellValue());
      assertEquals(CellType.FORMULA, data.getRow(0).getCell(2).getCellType());
      assertEquals("B1*2", data.getRow(0).getCell(2).getCellFormula());
      assertEquals("ES:Apple", data.getRow(1).getCell(0).getStringCellValue());
      assertEquals("ES:Apple", data.getRow(2).getCell(0).getStringCellValue());
      assertEquals("   ", data.getRow(3).getCell(0).getStringCellValue());
      XSSFRow summary = out.getSheet("Summary").getRow(0);
      assertEquals("ES:Total", summary.getCell(0).getStringCellValue());
      assertEquals("SUM(Data!B1:B3)", summary.getCell(1).getCellFormula());
    }
  }

  @Test
  void wordDocumentNamedXlsxIsRejected() throws Exception {
    Path file = dir.resolve("letter.xlsx");
    try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
      doc.createParagraph().createRun().setText("Dear reader");
      doc.write(out);
    }
    FormatException e = assertThrows(FormatException.class, () -> format.extract(file));
    assertTrue(e.getMessage().contains("Word document"), e.getMessage());
  }

  @Test
  void richTextRunsKeepTheirFontsAndInlineStringsAreTranslatedWhereTheyAreShown() throws Exception {
    Path file = dir.resolve("rich.xlsx");
    try (XSSFWorkbook workbook = new XSSFWorkbook()) {
      XSSFFont bold = workbook.createFont();
      bold.setBold(true);
      org.apache.poi.xssf.usermodel.XSSFRichTextString rich = new org.apache.poi.xssf.usermodel.XSSFRichTextString("Total before tax");
      rich.applyFont(0, 5, bold);
      XSSFRow row = workbook.createSheet("S").createRow(0);
      row.createCell(0).setCellValue(rich);
      var inline = row.createCell(1).getCTCell();
      inline.setT(org.openxmlformats.schemas.spreadsheetml.x2006.main.STCellType.INLINE_STR);
      inline.addNewIs().setT("Shown inline");
      try (OutputStream out = Files.newOutputStream(file)) {
        workbook.write(out);
      }
    }
    DocumentFormat.Extraction extraction = format.extract(file);
    assertEquals(List.of("Total before tax", "Shown inline"), extraction.segments());
    Path out = dir.resolve("out.xlsx");
    extraction.write(List.of("Gesamt vor Steuern", "Inline gezeigt"), out, false);
    try (XSSFWorkbook workbook = new XSSFWorkbook(Files.newInputStream(out))) {
      XSSFRow row = workbook.getSheet("S").getRow(0);
      var text = row.getCell(0).getRichStringCellValue();
      assertEquals("Gesamt vor Steuern", text.getString());
      assertEquals(2, text.numFormattingRuns(), "both runs kept");
      assertTrue(text.getFontOfFormattingRun(0).getBold());
      assertEquals("Inline gezeigt", row.getCell(1).getStringCellValue());
      // What a reader shows for an inline string is its <is>, so that is where the translation must be.
      assertEquals("Inline gezeigt", row.getCell(1).getCTCell().getIs().getT());
    }
  }
}
