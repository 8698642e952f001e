package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.poi.sl.usermodel.Placeholder;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xslf.usermodel.XSLFTextRun;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PptxFormatTest {

  @TempDir Path dir;
  private final PptxFormat format = new PptxFormat();

  private Path samplePresentation() throws Exception {
    Path file = dir.resolve("deck.pptx");
    try (XMLSlideShow show = new XMLSlideShow()) {
      XSLFSlide first = show.createSlide();
      XSLFTextBox box = first.createTextBox();
      box.setAnchor(new Rectangle2D.Double(10, 10, 400, 100));
      box.setText("Quarterly results");
      XSLFTextParagraph mixed = box.addNewTextParagraph();
      mixed.addNewTextRun().setText("Read the ");
      XSLFTextRun link = mixed.addNewTextRun();
      link.setText("full report");
      link.setBold(true);
      link.createHyperlink().setAddress("https://example.org/report");
      XSLFGroupShape group = first.createGroup();
      group.createTextBox().setText("Grouped note");

      XSLFSlide second = show.createSlide();
      XSLFTable table = second.createTable(2, 2);
      String[][] texts = {{"Region", "Sales"}, {"North", ""}};
      for (int r = 0; r < 2; r++) {
        XSLFTableRow row = table.getRows().get(r);
        for (int c = 0; c < 2; c++) {
          row.getCells().get(c).setText(texts[r][c]);
        }
      }
      XSLFNotes notes = show.getNotesSlide(second);
      for (XSLFTextShape placeholder : notes.getPlaceholders()) {
        if (placeholder.getTextType() == Placeholder.BODY) {
          placeholder.setText("Speaker notes here");
        }
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        show.write(out);
      }
    }
    return file;
  }

  @Test
  void extractsShapesGroupsTablesAndNotes() throws Exception {
    assertEquals(
        List.of(
            "Quarterly results",
            "Read the full report",
            "Grouped note",
            "Region",
            "Sales",
            "North",
            "Speaker notes here"),
        format.extract(samplePresentation()).segments());
  }

  @Test
  void writesTranslationKeepingSlidesShapesAndRunFormatting() throws Exception {
    var extraction = format.extract(samplePresentation());
    Path target = dir.resolve("out.pptx");
    extraction.write(
        extraction.segments().stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(), target, false);
    try (XMLSlideShow out = new XMLSlideShow(Files.newInputStream(target))) {
      assertEquals(2, out.getSlides().size());
      XSLFSlide first = out.getSlides().get(0);
      assertEquals(2, first.getShapes().size());
      XSLFTextBox box = (XSLFTextBox) first.getShapes().get(0);
      assertEquals(2, box.getTextParagraphs().size());
      assertEquals("QUARTERLY RESULTS", box.getTextParagraphs().get(0).getText());
      List<XSLFTextRun> runs = box.getTextParagraphs().get(1).getTextRuns();
      assertEquals(2, runs.size());
      assertEquals("READ THE ", runs.get(0).getRawText());
      assertEquals("FULL REPORT", runs.get(1).getRawText());
      assertTrue(runs.get(1).isBold());
      assertNotNull(runs.get(1).getHyperlink());
      assertEquals("https://example.org/report", runs.get(1).getHyperlink().getAddress());
      XSLFGroupShape group = (XSLFGroupShape) first.getShapes().get(1);
      assertEquals("GROUPED NOTE", ((XSLFTextShape) group.getShapes().get(0)).getText());

      XSLFSlide second = out.getSlides().get(1);
      XSLFTable table = (XSLFTable) second.getShapes().get(0);
      assertEquals(2, table.getNumberOfRows());
      assertEquals("REGION", table.getCell(0, 0).getText());
      assertEquals("SALES", table.getCell(0, 1).getText());
      assertEquals("NORTH", table.getCell(1, 0).getText());
      assertEquals("", table.getCell(1, 1).getText());
      String notes =
          java.util.Arrays.stream(second.getNotes().getPlaceholders())
              .filter(p -> p.getTextType() == Placeholder.BODY)
              .map(XSLFTextShape::getText)
              .findFirst()
              .orElseThrow();
      assertEquals("SPEAKER NOTES HERE", notes);
    }
  }

  @Test
  void truncatedPresentationFailsClearly() throws Exception {
    byte[] bytes = Files.readAllBytes(samplePresentation());
    Path broken = dir.resolve("broken.pptx");
    Files.write(broken, java.util.Arrays.copyOf(bytes, 100));
    FormatException e = assertThrows(FormatException.class, () -> format.extract(broken));
    assertTrue(e.getMessage().startsWith("The .pptx file is not a readable ZIP archive"), e.getMessage());
  }
}
