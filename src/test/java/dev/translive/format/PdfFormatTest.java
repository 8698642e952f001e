package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfFormatTest {

  @TempDir Path dir;
  private final PdfFormat format = new PdfFormat();

  /** Writes lines at the given y positions; a larger gap starts a new paragraph. */
  private static void writeLines(PDDocument document, PDPage page, String[] lines, float[] ys) throws Exception {
    try (PDPageContentStream content = new PDPageContentStream(document, page)) {
      content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
      for (int i = 0; i < lines.length; i++) {
        content.beginText();
        content.newLineAtOffset(72, ys[i]);
        content.showText(lines[i]);
        content.endText();
      }
    }
  }

  private Path textPdf(String password) throws Exception {
    Path file = dir.resolve("text.pdf");
    try (PDDocument document = new PDDocument()) {
      PDPage first = new PDPage();
      document.addPage(first);
      writeLines(
          document,
          first,
          new String[] {"The first paragraph starts here and", "continues on a second line.", "A second para-", "graph follows."},
          new float[] {700, 686, 620, 606});
      PDPage second = new PDPage();
      document.addPage(second);
      writeLines(document, second, new String[] {"Page two has one line."}, new float[] {700});
      if (password != null) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", password, new AccessPermission());
        policy.setEncryptionKeyLength(128);
        document.protect(policy);
      }
      document.save(file.toFile());
    }
    return file;
  }

  @Test
  void extractsParagraphsPerPageAndWritesDocx() throws Exception {
    var extraction = format.extract(textPdf(null));
    List<String> expected =
        List.of(
            "The first paragraph starts here and continues on a second line.",
            "A second paragraph follows.",
            "Page two has one line.");
    assertEquals(expected, extraction.segments());
    assertEquals(List.of("pdf", "docx"), format.outputExtensions("pdf"));

    Path target = dir.resolve("text.docx");
    extraction.write(extraction.segments().stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(), target, false);
    try (XWPFDocument out = new XWPFDocument(Files.newInputStream(target))) {
      List<XWPFParagraph> paragraphs = out.getParagraphs();
      assertEquals(
          expected.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(),
          paragraphs.stream().map(XWPFParagraph::getText).toList());
      assertFalse(paragraphs.get(0).isPageBreak());
      assertFalse(paragraphs.get(1).isPageBreak());
      assertTrue(paragraphs.get(2).isPageBreak(), "page two starts on a new page");
    }
  }

  @Test
  void bilingualDocxHasOriginalsAfterTranslations() throws Exception {
    var extraction = format.extract(textPdf(null));
    Path target = dir.resolve("bilingual.docx");
    extraction.write(extraction.segments().stream().map(s -> "ES:" + s).toList(), target, true);
    try (XWPFDocument out = new XWPFDocument(Files.newInputStream(target))) {
      List<String> texts = out.getParagraphs().stream().map(XWPFParagraph::getText).toList();
      assertEquals(6, texts.size());
      assertEquals("ES:A second paragraph follows.", texts.get(2));
      assertEquals("A second paragraph follows.", texts.get(3));
    }
  }

  @Test
  void scanWithoutAnyReadableTextIsRejectedClearly() throws Exception {
    Path file = dir.resolve("scan.pdf");
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage();
      document.addPage(page);
      BufferedImage image = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
      PDImageXObject xobject = LosslessFactory.createFromImage(document, image);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.drawImage(xobject, 0, 0, 600, 800);
      }
      document.save(file.toFile());
    }
    FormatException e = assertThrows(FormatException.class, () -> format.extract(file));
    // A black page: text recognition runs (scripts/install-deps.sh installs it) and finds nothing.
    assertTrue(e.getMessage().contains("No text could be recognised"), e.getMessage());
  }

  @Test
  void passwordProtectedPdfIsRejected() throws Exception {
    Path file = textPdf("secret");
    FormatException e = assertThrows(FormatException.class, () -> format.extract(file));
    assertTrue(e.getMessage().contains("password-protected"), e.getMessage());
  }

  @Test
  void corruptPdfIsRejected() throws Exception {
    Path file = dir.resolve("broken.pdf");
    Files.writeString(file, "%PDF-1.7\nthis is not really a pdf\n");
    FormatException e = assertThrows(FormatException.class, () -> format.extract(file));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void matchesPdfHeader() {
    assertTrue(format.matchesContent("%PDF-1.4\n%âãÏÓ".getBytes(StandardCharsets.ISO_8859_1)));
    assertFalse(format.matchesContent("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1)));
    assertFalse(format.matchesContent("<html>".getBytes(StandardCharsets.ISO_8859_1)));
  }

  /** The reported case: a title set right above its text was glued onto it and everything was Normal. */
  @Test
  void titlesAndHeadingsComeOutAsHeadingsOnTheirOwn() throws Exception {
    Path file = dir.resolve("report.pdf");
    try (PDDocument document = new PDDocument()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      float[][] layout = {{24, 700}, {12, 676}, {12, 662}};
      String[][] pages = {{"Annual Report", "Our garden grew a lot this year,", "thanks to every volunteer."},
          {"Results", "We planted forty new trees", "along the river."}};
      float[] headingSize = {24, 18};
      for (int p = 0; p < pages.length; p++) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          for (int line = 0; line < 3; line++) {
            content.beginText();
            content.setFont(font, line == 0 ? headingSize[p] : layout[line][0]);
            content.newLineAtOffset(72, layout[line][1]);
            content.showText(pages[p][line]);
            content.endText();
          }
        }
      }
      document.save(file.toFile());
    }
    var extraction = format.extract(file);
    assertEquals(List.of("Annual Report", "Our garden grew a lot this year, thanks to every volunteer.", "Results",
        "We planted forty new trees along the river."), extraction.segments());
    Path out = dir.resolve("report.docx");
    extraction.write(extraction.segments().stream().map(t -> "ES:" + t).toList(), out, false);
    try (XWPFDocument docx = new XWPFDocument(Files.newInputStream(out))) {
      List<XWPFParagraph> paragraphs = docx.getParagraphs();
      assertEquals(4, paragraphs.size());
      assertEquals("Heading1", paragraphs.get(0).getStyle());
      assertEquals(null, paragraphs.get(1).getStyle());
      assertEquals("Heading2", paragraphs.get(2).getStyle());
      assertTrue(paragraphs.get(2).isPageBreak(), "page two starts on a new page");
      assertTrue(docx.getStyles().styleExist("Heading1"), "the heading styles are defined, not just named");
    }
  }
}
