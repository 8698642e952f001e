package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.xwpf.usermodel.IBody;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFAbstractFootnoteEndnote;
import org.apache.poi.xwpf.usermodel.XWPFChart;
import org.apache.poi.xwpf.usermodel.XWPFComment;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFFieldRun;
import org.apache.poi.xwpf.usermodel.XWPFHeaderFooter;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.apache.xmlbeans.XmlCursor;
import org.apache.xmlbeans.XmlObject;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTP;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTR;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTText;

/**
 * Word documents: one segment per paragraph of the body (tables included, nested too), headers,
 * footers, footnotes, endnotes, comments and text boxes, then chart titles. The translation is spread over the paragraph's runs so their
 * formatting and hyperlinks survive.
 *
 * <p>The extraction keeps only the source path and re-parses it when writing, so no document stays
 * in memory while the translation runs; the source must therefore still exist at write time.
 */
public class DocxFormat implements DocumentFormat {

  @Override
  public String id() {
    return "docx";
  }

  @Override
  public List<String> extensions() {
    return List.of("docx");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return OoxmlPackage.looksLikeZip(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    List<String> segments = new ArrayList<>();
    try (XWPFDocument document = open(source, limits)) {
      for (XWPFParagraph paragraph : translatableParagraphs(document)) {
        segments.add(segmentText(paragraph));
      }
      for (OoxmlRuns.Paragraph paragraph : chartParagraphs(document)) {
        segments.add(paragraph.text());
      }
    }
    return new DocxExtraction(source, List.copyOf(segments), limits);
  }

  private record DocxExtraction(Path source, List<String> segments, FormatLimits limits) implements Extraction {
    @Override
    public void write(List<String> translations, Path target, boolean bilingual)
        throws IOException, FormatException {
      SegmentText.checkCount(segments, translations);
      try (XWPFDocument document = open(source, limits)) {
        List<XWPFParagraph> paragraphs = translatableParagraphs(document);
        List<OoxmlRuns.Paragraph> charts = chartParagraphs(document);
        if (paragraphs.size() + charts.size() != segments.size()) {
          throw new FormatException("The .docx file changed since it was read; translate it again");
        }
        for (int i = 0; i < paragraphs.size(); i++) {
          XWPFParagraph paragraph = paragraphs.get(i);
          if (bilingual) {
            insertOriginalAfter(paragraph, paragraphText(paragraph));
          }
          replaceText(paragraph, translations.get(i));
        }
        for (int i = 0; i < charts.size(); i++) {
          charts.get(i).replace(translations.get(paragraphs.size() + i));
        }
        OoxmlPackage.save(document, target);
      }
    }
  }

  private static XWPFDocument open(Path source, FormatLimits limits) throws IOException, FormatException {
    return OoxmlPackage.open(source, OoxmlPackage.Kind.WORD, limits, XWPFDocument::new);
  }

  /** Paragraphs with text, in reading order: body, then headers, footers, footnotes, endnotes. */
  static List<XWPFParagraph> translatableParagraphs(XWPFDocument document) {
    List<XWPFParagraph> found = new ArrayList<>();
    collect(document, found);
    for (XWPFHeaderFooter header : document.getHeaderList()) {
      collect(header, found);
    }
    for (XWPFHeaderFooter footer : document.getFooterList()) {
      collect(footer, found);
    }
    for (XWPFAbstractFootnoteEndnote note : document.getFootnotes()) {
      collect(note, found);
    }
    for (XWPFAbstractFootnoteEndnote note : document.getEndnotes()) {
      collect(note, found);
    }
    XWPFComment[] comments = document.getComments(); // null when the document has none
    for (XWPFComment comment : comments == null ? new XWPFComment[0] : comments) {
      collect(comment, found);
    }
    // Text boxes and shapes: their paragraphs sit inside a run of the paragraph that anchors them.
    collectTextBoxes(document.getDocument(), document, found);
    for (XWPFHeaderFooter part : document.getHeaderList()) {
      collectTextBoxes(part._getHdrFtr(), part, found);
    }
    for (XWPFHeaderFooter part : document.getFooterList()) {
      collectTextBoxes(part._getHdrFtr(), part, found);
    }
    return found;
  }

  /** DrawingML text of charts (titles, axis titles), which POI exposes only as XML. */
  static List<OoxmlRuns.Paragraph> chartParagraphs(XWPFDocument document) {
    List<OoxmlRuns.Paragraph> found = new ArrayList<>();
    for (XWPFChart chart : document.getCharts()) {
      found.addAll(OoxmlRuns.drawingParagraphs(chart.getCTChartSpace()));
    }
    return found;
  }

  private static void collectTextBoxes(XmlObject root, IBody body, List<XWPFParagraph> found) {
    XmlObject[] paragraphs = root.selectPath(
        "declare namespace w='http://schemas.openxmlformats.org/wordprocessingml/2006/main' .//w:txbxContent//w:p");
    for (XmlObject p : paragraphs) {
      if (p instanceof CTP ctp) {
        XWPFParagraph paragraph = new XWPFParagraph(ctp, body);
        if (!SegmentText.isBlank(paragraphText(paragraph)) && !isCode(paragraph)) {
          found.add(paragraph);
        }
      }
    }
  }

  private static void collect(IBody body, List<XWPFParagraph> found) {
    for (IBodyElement element : body.getBodyElements()) {
      if (element instanceof XWPFParagraph paragraph) {
        if (!SegmentText.isBlank(paragraphText(paragraph)) && !isCode(paragraph)) {
          found.add(paragraph);
        }
      } else if (element instanceof XWPFTable table) {
        for (XWPFTableRow row : table.getRows()) {
          for (XWPFTableCell cell : row.getTableCells()) {
            collect(cell, found); // a cell is a body, so nested tables recurse naturally
          }
        }
      }
      // Content controls (XWPFSDT) are read-only in POI and are left as they are.
    }
  }

  /** A code block: a code paragraph style, or every run set as code. */
  static boolean isCode(XWPFParagraph paragraph) {
    if (CodeText.isCodeStyle(paragraph.getStyle())) {
      return true;
    }
    List<XWPFRun> runs = textRuns(paragraph);
    return !runs.isEmpty() && runs.stream().allMatch(DocxFormat::isCodeRun);
  }

  static boolean isCodeRun(XWPFRun run) {
    return CodeText.isCodeStyle(run.getStyle()) || CodeText.isMonospaceFont(run.getFontFamily());
  }

  /** Runs whose text we own; simple fields (page numbers, dates) are computed by Word. */
  private static List<XWPFRun> textRuns(XWPFParagraph paragraph) {
    List<XWPFRun> runs = new ArrayList<>();
    for (XWPFRun run : paragraph.getRuns()) {
      if (!(run instanceof XWPFFieldRun) && !runText(run).isEmpty()) {
        runs.add(run);
      }
    }
    return runs;
  }

  /** Only w:t elements: tabs, breaks and footnote marks are layout, not text to translate. */
  private static String runText(XWPFRun run) {
    StringBuilder text = new StringBuilder();
    for (CTText t : run.getCTR().getTList()) {
      text.append(t.getStringValue());
    }
    return text.toString();
  }

  static String paragraphText(XWPFParagraph paragraph) {
    StringBuilder text = new StringBuilder();
    for (XWPFRun run : textRuns(paragraph)) {
      text.append(runText(run));
    }
    return text.toString();
  }

  /** The paragraph as one segment; inline code runs become tags, so the sentence around them stays whole. */
  static String segmentText(XWPFParagraph paragraph) {
    List<XWPFRun> runs = textRuns(paragraph);
    return RunTextDistributor.tagged(runs.stream().map(DocxFormat::runText).toList(),
        runs.stream().map(DocxFormat::isCodeRun).toList());
  }

  private static void replaceText(XWPFParagraph paragraph, String translation) {
    List<XWPFRun> runs = textRuns(paragraph);
    List<String> originals = runs.stream().map(DocxFormat::runText).toList();
    List<String> pieces = RunTextDistributor.distributeAroundFixed(translation, originals,
        runs.stream().map(DocxFormat::isCodeRun).toList());
    for (int i = 0; i < runs.size(); i++) {
      XWPFRun run = runs.get(i);
      CTR ctr = run.getCTR();
      for (int t = ctr.sizeOfTArray() - 1; t > 0; t--) {
        ctr.removeT(t);
      }
      run.setText(pieces.get(i), 0);
    }
  }

  /**
   * Adds a plain paragraph holding {@code original} right after {@code paragraph}, with the same
   * paragraph properties and the first run's character formatting. Works on the XML directly,
   * which POI serialises as is, so it behaves the same in the body, cells, headers and notes.
   */
  private static void insertOriginalAfter(XWPFParagraph paragraph, String original) {
    CTP translated = paragraph.getCTP();
    CTP copy;
    try (XmlCursor cursor = translated.newCursor()) {
      cursor.toEndToken();
      cursor.toNextToken();
      cursor.beginElement(translated.getDomNode().getLocalName(), translated.getDomNode().getNamespaceURI());
      cursor.toParent();
      copy = (CTP) cursor.getObject();
    }
    if (translated.isSetPPr()) {
      CTPPr properties = (CTPPr) translated.getPPr().copy();
      // A section break or list number must not be duplicated by the copy.
      if (properties.isSetSectPr()) {
        properties.unsetSectPr();
      }
      if (properties.isSetNumPr()) {
        properties.unsetNumPr();
      }
      copy.setPPr(properties);
    }
    CTR run = copy.addNewR();
    List<XWPFRun> runs = textRuns(paragraph);
    if (!runs.isEmpty() && runs.get(0).getCTR().isSetRPr()) {
      run.setRPr(runs.get(0).getCTR().getRPr());
    }
    CTText text = run.addNewT();
    text.setStringValue(original);
    text.setSpace(org.apache.xmlbeans.impl.xb.xmlschema.SpaceAttribute.Space.PRESERVE);
  }
}
