package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Excel workbooks: one segment per string cell (inline or shared string), sheet by sheet, row by
 * row. Numbers, formulas (and their cached results), sheet names and cell styles are left alone.
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
  public Extraction extract(Path source) throws IOException, FormatException {
    try (XSSFWorkbook workbook = open(source)) {
      List<String> segments = translatableCells(workbook).stream().map(Cell::getStringCellValue).toList();
      return new XlsxExtraction(source, segments);
    }
  }

  private record XlsxExtraction(Path source, List<String> segments) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual)
        throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      try (XSSFWorkbook workbook = open(source)) {
        List<Cell> cells = translatableCells(workbook);
        if (cells.size() != segments.size()) {
          throw new FormatException("The .xlsx file changed since it was read; translate it again");
        }
        for (int i = 0; i < cells.size(); i++) {
          // Replaces the value only; the cell's style (font, fill, number format) stays.
          cells.get(i).setCellValue(translations.get(i));
        }
        OoxmlPackage.save(workbook, target);
      }
    }
  }

  private static XSSFWorkbook open(Path source) throws IOException, FormatException {
    return OoxmlPackage.open(source, OoxmlPackage.Kind.WORKBOOK, XSSFWorkbook::new);
  }

  private static List<Cell> translatableCells(XSSFWorkbook workbook) {
    List<Cell> cells = new ArrayList<>();
    for (Sheet sheet : workbook) {
      for (Row row : sheet) {
        for (Cell cell : row) {
          if (cell.getCellType() == CellType.STRING && !SegmentText.isBlank(cell.getStringCellValue())) {
            cells.add(cell);
          }
        }
      }
    }
    return cells;
  }
}
