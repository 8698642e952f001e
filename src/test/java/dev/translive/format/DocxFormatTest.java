package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.wp.usermodel.HeaderFooterType;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFFootnote;
import org.apache.poi.xwpf.usermodel.XWPFHyperlinkRun;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocxFormatTest {

  @TempDir Path dir;

  /** The w:t text only; POI's getText() adds footnote markers and footnote bodies. */
  private static String visibleText(XWPFParagraph paragraph) {
    StringBuilder text = new StringBuilder();
    paragraph.getRuns().forEach(r -> r.getCTR().getTList().forEach(t -> text.append(t.getStringValue())));
    return text.toString();
  }
  private final DocxFormat format = new DocxFormat();

  private static List<String> upperCase(List<String> segments) {
    return segments.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
  }

  /** Body with mixed runs and a hyperlink, an empty paragraph, a table with a nested table, header, footer, footnote. */
  private Path sampleDocument() throws Exception {
    Path file = dir.resolve("sample.docx");
    try (XWPFDocument doc = new XWPFDocument()) {
      doc.createParagraph().createRun().setText("Hello world");
      XWPFParagraph mixed = doc.createParagraph();
      mixed.setStyle("Heading1");
      mixed.createRun().setText("Visit ");
      XWPFHyperlinkRun link = mixed.createHyperlinkRun("https://example.org/");
      link.setText("our website");
      XWPFRun bold = mixed.createRun();
      bold.setText(" today");
      bold.setBold(true);
      bold.setItalic(true);
      doc.createParagraph(); // empty: not a segment

      XWPFTable table = doc.createTable(1, 2);
      table.getRow(0).getCell(0).setText("Cell one");
      XWPFTableCell outer = table.getRow(0).getCell(1);
      outer.setText("Outer cell");
      XWPFTable nested = new XWPFTable(outer.getCTTc().addNewTbl(), outer, 1, 1);
      nested.getRow(0).getCell(0).setText("Nested cell");
      outer.addParagraph();

      doc.createHeader(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("Header text");
      doc.createFooter(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("Footer text");
      XWPFFootnote note = doc.createFootnote();
      note.createParagraph().createRun().setText("Footnote text");
      doc.getParagraphs().get(0).addFootnoteReference(note);
      try (OutputStream out = Files.newOutputStream(file)) {
        doc.write(out);
      }
    }
    return file;
  }

  @Test
  void extractsParagraphsTablesHeadersFootersAndFootnotesInOrder() throws Exception {
    var extraction = format.extract(sampleDocument());
    assertEquals(
        List.of(
            "Hello world",
            "Visit our website today",
            "Cell one",
            "Outer cell",
            "Nested cell",
            "Header text",
            "Footer text",
            "Footnote text"),
        extraction.segments());
  }

  @Test
  void writesTranslationKeepingStructureFormattingAndHyperlinks() throws Exception {
    Path source = sampleDocument();
    String linkId;
    int paragraphCount;
    try (XWPFDocument original = new XWPFDocument(Files.newInputStream(source))) {
      linkId = ((XWPFHyperlinkRun) original.getParagraphs().get(1).getRuns().get(1)).getHyperlinkId();
      paragraphCount = original.getParagraphs().size();
    }
    var extraction = format.extract(source);
    Path target = dir.resolve("out.docx");
    extraction.write(upperCase(extraction.segments()), target, false);

    try (XWPFDocument out = new XWPFDocument(Files.newInputStream(target))) {
      assertEquals(paragraphCount, out.getParagraphs().size());
      assertEquals("HELLO WORLD", visibleText(out.getParagraphs().get(0)));
      XWPFParagraph mixed = out.getParagraphs().get(1);
      assertEquals("Heading1", mixed.getStyle());
      List<XWPFRun> runs = mixed.getRuns();
      assertEquals(3, runs.size());
      assertEquals("VISIT ", runs.get(0).text());
      XWPFHyperlinkRun link = assertInstanceOf(XWPFHyperlinkRun.class, runs.get(1));
      assertEquals("OUR WEBSITE", link.text());
      assertEquals(linkId, link.getHyperlinkId());
      assertEquals("https://example.org/", link.getHyperlink(out).getURL());
      assertEquals(" TODAY", runs.get(2).text());
      assertTrue(runs.get(2).isBold());
      assertTrue(runs.get(2).isItalic());

      assertEquals(1, out.getTables().size());
      XWPFTable table = out.getTables().get(0);
      assertEquals(2, table.getRow(0).getTableCells().size());
      assertEquals("CELL ONE", table.getRow(0).getCell(0).getText());
      XWPFTableCell outer = table.getRow(0).getCell(1);
      assertEquals("OUTER CELL", outer.getParagraphs().get(0).getText());
      assertEquals(1, outer.getTables().size());
      assertEquals("NESTED CELL", outer.getTables().get(0).getRow(0).getCell(0).getText());

      assertEquals("HEADER TEXT", out.getHeaderList().get(0).getText().trim());
      assertEquals("FOOTER TEXT", out.getFooterList().get(0).getText().trim());
      assertTrue(
          out.getFootnotes().stream()
              .flatMap(n -> n.getParagraphs().stream())
              .anyMatch(p -> p.getText().contains("FOOTNOTE TEXT")));
    }
  }

  @Test
  void proportionalSplitKeepsWordsWhole() throws Exception {
    var extraction = format.extract(sampleDocument());
    List<String> translations =
        extraction.segments().stream().map(s -> "Besuchen Sie heute unsere Webseite").toList();
    Path target = dir.resolve("de.docx");
    extraction.write(translations, target, false);
    try (XWPFDocument out = new XWPFDocument(Files.newInputStream(target))) {
      XWPFParagraph mixed = out.getParagraphs().get(1);
      assertEquals("Besuchen Sie heute unsere Webseite", mixed.getText());
      for (XWPFRun run : mixed.getRuns()) {
        assertFalse(run.text().isBlank(), "every formatted run keeps some text");
      }
      assertInstanceOf(XWPFHyperlinkRun.class, mixed.getRuns().get(1));
    }
  }

  @Test
  void bilingualAddsTheOriginalAfterEachTranslatedParagraph() throws Exception {
    var extraction = format.extract(sampleDocument());
    Path target = dir.resolve("bilingual.docx");
    extraction.write(upperCase(extraction.segments()), target, true);
    try (XWPFDocument out = new XWPFDocument(Files.newInputStream(target))) {
      List<String> body = out.getParagraphs().stream().map(DocxFormatTest::visibleText).toList();
      assertEquals("HELLO WORLD", body.get(0));
      assertEquals("Hello world", body.get(1));
      assertEquals("VISIT OUR WEBSITE TODAY", body.get(2));
      assertEquals("Visit our website today", body.get(3));
      assertEquals("Heading1", out.getParagraphs().get(3).getStyle());
      XWPFTableCell outer = out.getTables().get(0).getRow(0).getCell(1);
      assertEquals(
          List.of("OUTER CELL", "Outer cell"),
          outer.getParagraphs().subList(0, 2).stream().map(XWPFParagraph::getText).toList());
      assertEquals(
          List.of("NESTED CELL", "Nested cell"),
          outer.getTables().get(0).getRow(0).getCell(0).getParagraphs().stream()
              .map(XWPFParagraph::getText)
              .toList());
      assertTrue(out.getHeaderList().get(0).getText().contains("HEADER TEXT\nHeader text"));
    }
  }

  @Test
  void corruptFileFailsWithClearMessage() throws Exception {
    Path notZip = dir.resolve("broken.docx");
    Files.writeString(notZip, "this is not a word document at all");
    FormatException e = assertThrows(FormatException.class, () -> format.extract(notZip));
    assertTrue(e.getMessage().contains("not a readable ZIP"), e.getMessage());

    byte[] good = Files.readAllBytes(sampleDocument());
    Path truncated = dir.resolve("truncated.docx");
    Files.write(truncated, Arrays.copyOf(good, good.length / 2));
    e = assertThrows(FormatException.class, () -> format.extract(truncated));
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
  }

  @Test
  void otherOfficeTypeIsNamedInTheError() throws Exception {
    Path pptx = dir.resolve("slides.docx");
    try (XMLSlideShow show = new XMLSlideShow(); OutputStream out = Files.newOutputStream(pptx)) {
      show.createSlide();
      show.write(out);
    }
    FormatException e = assertThrows(FormatException.class, () -> format.extract(pptx));
    assertTrue(e.getMessage().contains("PowerPoint presentation"), e.getMessage());
  }

  @Test
  void zipBombFailsFast() throws Exception {
    Path bomb = dir.resolve("bomb.docx");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
      zip.setLevel(Deflater.BEST_SPEED);
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 1024; i++) {
        zip.write(zeros); // 1 GB of zeros, about 1 MB on disk
      }
      zip.closeEntry();
    }
    assertTrue(Files.size(bomb) < 10L << 20);
    FormatException e = assertThrows(FormatException.class, () -> format.extract(bomb));
    assertTrue(e.getMessage().contains("possible zip bomb"), e.getMessage());
  }

  @Test
  void zipBombWithUnderstatedSizesIsCaughtWhileInflating() throws Exception {
    Path bomb = dir.resolve("liar.docx");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      zip.write("<Types/>".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    // Rewrite the declared size (central directory and data descriptor) from 64 MB to 1 KB.
    byte[] bytes = Files.readAllBytes(bomb);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int patched = 0;
    for (int i = 0; i + 4 <= bytes.length; i++) {
      if (buffer.getInt(i) == 64 << 20) {
        buffer.putInt(i, 1024);
        patched++;
      }
    }
    assertEquals(2, patched);
    Files.write(bomb, bytes);
    FormatException e = assertThrows(FormatException.class, () -> format.extract(bomb));
    assertTrue(e.getMessage().contains("possible zip bomb"), e.getMessage());
  }

  @Test
  void matchesZipMagicOnly() {
    assertTrue(format.matchesContent(new byte[] {'P', 'K', 3, 4, 20, 0}));
    assertFalse(format.matchesContent("%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(format.matchesContent(new byte[] {'P', 'K'}));
    assertEquals("docx", format.outputExtension("docx"));
  }
}
