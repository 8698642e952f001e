package dev.translive.format;

import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.xmlbeans.XmlCursor;
import org.apache.xmlbeans.XmlObject;

/**
 * Text stored as runs in Office XML that POI's object model does not expose for editing: DrawingML
 * paragraphs ({@code a:p}) in charts, drawings and text boxes, and spreadsheet rich text
 * ({@code si}, inline {@code is}, comment text). Works on the XML directly, which POI serialises as
 * is when the document is saved.
 */
final class OoxmlRuns {
  static final String DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main";
  static final String SHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  private static final QName XML_SPACE = new QName("http://www.w3.org/XML/1998/namespace", "space");

  private OoxmlRuns() {}

  /** One paragraph: its text elements run by run, in order. */
  record Paragraph(List<XmlObject> texts) {
    String text() {
      StringBuilder out = new StringBuilder();
      for (XmlObject t : texts) {
        try (XmlCursor c = t.newCursor()) {
          out.append(c.getTextValue());
        }
      }
      return out.toString();
    }

    boolean isBlank() {
      return texts.isEmpty() || SegmentText.isBlank(text());
    }

    /** Spreads the translation over the runs, so each run keeps its formatting. */
    void replace(String translation) {
      List<String> originals = new ArrayList<>(texts.size());
      for (XmlObject t : texts) {
        try (XmlCursor c = t.newCursor()) {
          originals.add(c.getTextValue());
        }
      }
      List<String> pieces = RunTextDistributor.distribute(translation, originals);
      for (int i = 0; i < texts.size(); i++) {
        try (XmlCursor c = texts.get(i).newCursor()) {
          c.setTextValue(pieces.get(i));
          String piece = pieces.get(i);
          if (!piece.equals(piece.strip()) && !DRAWING.equals(c.getName().getNamespaceURI())) {
            c.setAttributeText(XML_SPACE, "preserve");
          }
        }
      }
    }
  }

  /** Every non-blank DrawingML paragraph under {@code root}, in document order. */
  static List<Paragraph> drawingParagraphs(XmlObject root) {
    List<Paragraph> found = new ArrayList<>();
    try (XmlCursor c = root.newCursor()) {
      int depth = 0;
      while (true) {
        XmlCursor.TokenType token = c.toNextToken();
        if (token.isNone() || token.isEnddoc()) {
          break;
        }
        if (token.isEnd() && --depth < 0) {
          break;
        }
        if (token.isStart()) {
          depth++;
          QName name = c.getName();
          if (DRAWING.equals(name.getNamespaceURI()) && "p".equals(name.getLocalPart())) {
            Paragraph paragraph = new Paragraph(runTexts(c, DRAWING));
            if (!paragraph.isBlank()) {
              found.add(paragraph);
            }
          }
        }
      }
    }
    return found;
  }

  /** A spreadsheet rich text ({@code CTRst}): plain {@code t}, or runs {@code r/t}; phonetic hints are left out. */
  static Paragraph richText(XmlObject rst) {
    try (XmlCursor c = rst.newCursor()) {
      List<XmlObject> runs = runTexts(c, SHEET);
      if (!runs.isEmpty()) {
        return new Paragraph(runs);
      }
      List<XmlObject> plain = new ArrayList<>();
      if (c.toFirstChild()) {
        do {
          if (is(c, SHEET, "t")) {
            plain.add(c.getObject());
          }
        } while (c.toNextSibling());
      }
      return new Paragraph(plain);
    }
  }

  /** The {@code t} children of the {@code r} children of the element at {@code at}; the cursor is not moved. */
  private static List<XmlObject> runTexts(XmlCursor at, String namespace) {
    List<XmlObject> texts = new ArrayList<>();
    try (XmlCursor run = at.newCursor()) {
      if (!run.toFirstChild()) {
        return texts;
      }
      do {
        if (is(run, namespace, "r")) {
          try (XmlCursor t = run.newCursor()) {
            if (t.toFirstChild()) {
              do {
                if (is(t, namespace, "t")) {
                  texts.add(t.getObject());
                }
              } while (t.toNextSibling());
            }
          }
        }
      } while (run.toNextSibling());
    }
    return texts;
  }

  private static boolean is(XmlCursor c, String namespace, String local) {
    QName name = c.getName();
    return name != null && namespace.equals(name.getNamespaceURI()) && local.equals(name.getLocalPart());
  }
}
