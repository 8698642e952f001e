package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFRichTextString;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.xmlbeans.XmlObject;
import org.openxmlformats.schemas.spreadsheetml.x2006.main.STCellType;

/**
 * Excel workbooks: sheet by sheet, one segment per string cell (shared or inline string, rich-text
 * runs keeping their formatting), then the sheet's cell comments, then text in its drawings and
 * charts (titles, axis titles, text boxes). Numbers, formulas (and their cached results), sheet
 * names and cell styles are left alone.
 *
 * <p>The source is re-parsed when writing, so it must still exist at write time.
 */
public class XlsxFormat implements DocumentFormat {

  @Override
  public String id() {
    return "xlsx";
  }

  @Override
  public List<String> extensions() {
    return List.of("xlsx");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return OoxmlPackage.looksLikeZip(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    try (XSSFWorkbook workbook = open(source, limits)) {
      List<String> segments = texts(workbook).stream().map(OoxmlRuns.Paragraph::text).toList();
      return new XlsxExtraction(source, segments, limits);
    }
  }

  private record XlsxExtraction(Path source, List<String> segments, FormatLimits limits) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual)
        throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      try (XSSFWorkbook workbook = open(source, limits)) {
        List<OoxmlRuns.Paragraph> texts = texts(workbook);
        if (texts.size() != segments.size()) {
          throw new FormatException("The .xlsx file changed since it was read; translate it again");
        }
        // Cells sharing one shared string are listed once per cell but written once.
        Set<XmlObject> written = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < texts.size(); i++) {
          OoxmlRuns.Paragraph text = texts.get(i);
          if (written.add(text.texts().get(0))) {
            text.replace(translations.get(i));
          }
        }
        OoxmlPackage.save(workbook, target);
      }
    }
  }

  private static XSSFWorkbook open(Path source, FormatLimits limits) throws IOException, FormatException {
    return OoxmlPackage.open(source, OoxmlPackage.Kind.WORKBOOK, limits, XSSFWorkbook::new);
  }

  /** Every text a reader of the workbook sees, in reading order. */
  private static List<OoxmlRuns.Paragraph> texts(XSSFWorkbook workbook) {
    List<OoxmlRuns.Paragraph> found = new ArrayList<>();
    for (Sheet sheet : workbook) {
      for (Row row : sheet) {
        for (Cell cell : row) {
          if (cell.getCellType() == CellType.STRING) {
            add(found, cellText((XSSFCell) cell, workbook));
          }
        }
      }
      XSSFSheet xssf = (XSSFSheet) sheet;
      for (XSSFComment comment : xssf.getCellComments().values()) {
        XSSFRichTextString text = comment.getString();
        if (text != null) {
          add(found, OoxmlRuns.richText(text.getCTRst()));
        }
      }
      XSSFDrawing drawing = xssf.getDrawingPatriarch();
      if (drawing != null) {
        found.addAll(OoxmlRuns.drawingParagraphs(drawing.getCTDrawing()));
        for (XSSFChart chart : drawing.getCharts()) {
          found.addAll(OoxmlRuns.drawingParagraphs(chart.getCTChartSpace()));
        }
      }
    }
    return found;
  }

  /** The rich text a string cell shows: its inline string (t="inlineStr") or its shared string. */
  private static OoxmlRuns.Paragraph cellText(XSSFCell cell, XSSFWorkbook workbook) {
    var ct = cell.getCTCell();
    if (ct.getT() == STCellType.INLINE_STR) {
      return ct.isSetIs() ? OoxmlRuns.richText(ct.getIs()) : null;
    }
    XSSFRichTextString shared = (XSSFRichTextString) cell.getRichStringCellValue();
    return OoxmlRuns.richText(shared.getCTRst());
  }

  private static void add(List<OoxmlRuns.Paragraph> found, OoxmlRuns.Paragraph text) {
    if (text != null && !text.isBlank()) {
      found.add(text);
    }
  }
}
