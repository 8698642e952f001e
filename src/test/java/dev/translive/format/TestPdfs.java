package dev.translive.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** PDFs that tests and benches write, with real text for the readers to find. */
public final class TestPdfs {
  private TestPdfs() {}

  /** One line of {@code text} with its baseline starting at (x, y). */
  public static void text(PDPageContentStream content, PDFont font, float size, float x, float y, String text)
      throws IOException {
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(text);
    content.endText();
  }

  /** A new letter page at the end of {@code document} and a stream to draw on it, for the caller to close. */
  public static PDPageContentStream newPage(PDDocument document) throws IOException {
    PDPage page = new PDPage();
    document.addPage(page);
    return new PDPageContentStream(document, page);
  }

  /** A page per text, each a single 12 pt Helvetica line near the top. */
  public static byte[] linePerPage(List<String> texts) throws IOException {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream();
    try (PDDocument document = new PDDocument()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (String text : texts) {
        try (PDPageContentStream content = newPage(document)) {
          text(content, font, 12, 72, 700, text);
        }
      }
      document.save(pdf);
    }
    return pdf.toByteArray();
  }
}
