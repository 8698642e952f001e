package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ooxml.POIXMLDocumentPart;
import org.apache.poi.sl.usermodel.Placeholder;
import org.apache.poi.xslf.usermodel.XSLFChart;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xslf.usermodel.XSLFTextRun;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.openxmlformats.schemas.drawingml.x2006.main.CTRegularTextRun;

/**
 * PowerPoint presentations: one segment per paragraph of every text shape (inside groups too) and
 * table cell of each slide, followed by that slide's speaker notes; then chart titles. The translation is spread
 * over the paragraph's runs so their formatting and hyperlinks survive. Layouts and masters are
 * templates and are not translated.
 *
 * <p>The source is re-parsed when writing, so it must still exist at write time.
 */
public class PptxFormat implements DocumentFormat {

  @Override
  public String id() {
    return "pptx";
  }

  @Override
  public List<String> extensions() {
    return List.of("pptx");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return OoxmlPackage.looksLikeZip(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    try (XMLSlideShow show = open(source, limits)) {
      List<String> segments = new ArrayList<>(translatableParagraphs(show).stream().map(PptxFormat::segmentText).toList());
      chartParagraphs(show).forEach(p -> segments.add(p.text()));
      return new PptxExtraction(source, segments, limits);
    }
  }

  private record PptxExtraction(Path source, List<String> segments, FormatLimits limits) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual)
        throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      try (XMLSlideShow show = open(source, limits)) {
        List<XSLFTextParagraph> paragraphs = translatableParagraphs(show);
        List<OoxmlRuns.Paragraph> charts = chartParagraphs(show);
        if (paragraphs.size() + charts.size() != segments.size()) {
          throw new FormatException("The .pptx file changed since it was read; translate it again");
        }
        for (int i = 0; i < paragraphs.size(); i++) {
          replaceText(paragraphs.get(i), translations.get(i));
        }
        for (int i = 0; i < charts.size(); i++) {
          charts.get(i).replace(translations.get(paragraphs.size() + i));
        }
        OoxmlPackage.save(show, target);
      }
    }
  }

  private static XMLSlideShow open(Path source, FormatLimits limits) throws IOException, FormatException {
    return OoxmlPackage.open(source, OoxmlPackage.Kind.PRESENTATION, limits, XMLSlideShow::new);
  }

  private static List<XSLFTextParagraph> translatableParagraphs(XMLSlideShow show) {
    List<XSLFTextParagraph> found = new ArrayList<>();
    for (XSLFSlide slide : show.getSlides()) {
      collect(slide.getShapes(), found);
      XSLFNotes notes = slide.getNotes();
      if (notes != null) {
        collect(notes.getShapes(), found);
      }
    }
    return found;
  }

  /** Chart titles and axis titles, slide by slide; POI exposes them only as XML. */
  private static List<OoxmlRuns.Paragraph> chartParagraphs(XMLSlideShow show) {
    List<OoxmlRuns.Paragraph> found = new ArrayList<>();
    for (XSLFSlide slide : show.getSlides()) {
      for (POIXMLDocumentPart part : slide.getRelations()) {
        if (part instanceof XSLFChart chart) {
          found.addAll(OoxmlRuns.drawingParagraphs(chart.getCTChartSpace()));
        }
      }
    }
    return found;
  }

  private static void collect(List<XSLFShape> shapes, List<XSLFTextParagraph> found) {
    for (XSLFShape shape : shapes) {
      if (shape instanceof XSLFGroupShape group) {
        collect(group.getShapes(), found);
      } else if (shape instanceof XSLFTable table) {
        for (XSLFTableRow row : table.getRows()) {
          for (XSLFTableCell cell : row.getCells()) {
            collect(cell, found);
          }
        }
      } else if (shape instanceof XSLFTextShape text && !isComputedPlaceholder(text)) {
        collect(text, found);
      }
      // Pictures, charts and SmartArt carry no paragraphs POI can edit.
    }
  }

  /** Date and slide-number placeholders hold values PowerPoint fills in, not prose. */
  private static boolean isComputedPlaceholder(XSLFShape shape) {
    Placeholder placeholder = shape.getPlaceholder();
    return placeholder == Placeholder.DATETIME || placeholder == Placeholder.SLIDE_NUMBER;
  }

  private static void collect(XSLFTextShape shape, List<XSLFTextParagraph> found) {
    for (XSLFTextParagraph paragraph : shape.getTextParagraphs()) {
      if (!SegmentText.isBlank(paragraphText(paragraph)) && !isCode(paragraph)) {
        found.add(paragraph);
      }
    }
  }

  /** A code block: every run in a monospaced font. */
  private static boolean isCode(XSLFTextParagraph paragraph) {
    return textRuns(paragraph).stream().allMatch(PptxFormat::isCodeRun);
  }

  /** Plain runs only: line breaks stay where they are and fields (slide number, date) are computed. */
  private static List<XSLFTextRun> textRuns(XSLFTextParagraph paragraph) {
    List<XSLFTextRun> runs = new ArrayList<>();
    for (XSLFTextRun run : paragraph.getTextRuns()) {
      if (run.getXmlObject() instanceof CTRegularTextRun && !run.getRawText().isEmpty()) {
        runs.add(run);
      }
    }
    return runs;
  }

  private static String paragraphText(XSLFTextParagraph paragraph) {
    StringBuilder text = new StringBuilder();
    for (XSLFTextRun run : textRuns(paragraph)) {
      text.append(run.getRawText());
    }
    return text.toString();
  }

  private static boolean isCodeRun(XSLFTextRun run) {
    return CodeText.isMonospaceFont(run.getFontFamily());
  }

  /** The paragraph as one segment; runs of inline code become tags, so the sentence around them stays whole. */
  private static String segmentText(XSLFTextParagraph paragraph) {
    List<XSLFTextRun> runs = textRuns(paragraph);
    return RunTextDistributor.tagged(runs.stream().map(XSLFTextRun::getRawText).toList(),
        runs.stream().map(PptxFormat::isCodeRun).toList());
  }

  private static void replaceText(XSLFTextParagraph paragraph, String translation) {
    List<XSLFTextRun> runs = textRuns(paragraph);
    List<String> pieces = RunTextDistributor.distributeAroundFixed(translation,
        runs.stream().map(XSLFTextRun::getRawText).toList(), runs.stream().map(PptxFormat::isCodeRun).toList());
    for (int i = 0; i < runs.size(); i++) {
      runs.get(i).setText(pieces.get(i));
    }
  }
}
