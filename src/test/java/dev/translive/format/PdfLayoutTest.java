package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PDF in, PDF out: the translated PDF has the same pages and images, no source text, and each
 * translation on its page (checked with poppler's pdftotext, another reader than the one that wrote it).
 */
class PdfLayoutTest {
  @TempDir Path dir;
  private final PdfFormat format = new PdfFormat();

  /** Three pages: a title, a paragraph, an image and a rule; two columns; a page of one line. */
  private Path report() throws Exception {
    Path file = dir.resolve("report.pdf");
    try (PDDocument document = new PDDocument()) {
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      PDImageXObject image = LosslessFactory.createFromImage(document, new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB));
      PDPage first = new PDPage();
      document.addPage(first);
      try (PDPageContentStream content = new PDPageContentStream(document, first)) {
        line(content, bold, 24, 72, 700, "Garden Report");
        line(content, regular, 12, 72, 660, "Our garden grew a lot this year, thanks to every");
        line(content, regular, 12, 72, 646, "volunteer who came on Saturday mornings.");
        content.drawImage(image, 72, 500, 120, 80);
        content.moveTo(72, 480);
        content.lineTo(540, 480);
        content.stroke();
      }
      PDPage second = new PDPage();
      document.addPage(second);
      try (PDPageContentStream content = new PDPageContentStream(document, second)) {
        line(content, regular, 11, 72, 700, "Left column speaks");
        line(content, regular, 11, 72, 686, "about the apple trees.");
        line(content, regular, 11, 320, 700, "Right column speaks");
        line(content, regular, 11, 320, 686, "about the river banks.");
        content.drawImage(image, 72, 400, 60, 40);
        content.drawImage(LosslessFactory.createFromImage(document, new BufferedImage(30, 30, BufferedImage.TYPE_INT_RGB)),
            320, 400, 60, 40);
      }
      PDPage third = new PDPage();
      document.addPage(third);
      try (PDPageContentStream content = new PDPageContentStream(document, third)) {
        line(content, regular, 12, 72, 700, "Thank you for reading.");
      }
      document.save(file.toFile());
    }
    return file;
  }

  private static void line(PDPageContentStream content, PDType1Font font, float size, float x, float y, String text)
      throws Exception {
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(text);
    content.endText();
  }

  /** Marks each segment's words so no source word is left: "apple" becomes "APPLEZ". */
  private static List<String> marked(List<String> segments) {
    return segments.stream().map(s -> s.toUpperCase(java.util.Locale.ROOT).replaceAll("(\\p{L}+)", "$1Z")).toList();
  }

  static String pdftotext(Path pdf, int page) throws Exception {
    Process process = new ProcessBuilder("pdftotext", "-f", String.valueOf(page), "-l", String.valueOf(page), "-layout",
        pdf.toString(), "-").redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "pdftotext finished");
    assertEquals(0, process.exitValue(), out);
    // NFKC: the fonts' ligatures (fi) are extracted as their ligature characters, which viewers' search matches.
    return java.text.Normalizer.normalize(out, java.text.Normalizer.Form.NFKC).replaceAll("\\s+", " ");
  }

  /** Image XObjects each page draws from its resources (forms included). */
  static List<Integer> imagesPerPage(Path pdf) throws Exception {
    List<Integer> counts = new ArrayList<>();
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      for (PDPage page : document.getPages()) {
        counts.add(images(page.getResources(), 0));
      }
    }
    return counts;
  }

  private static int images(PDResources resources, int depth) throws Exception {
    int n = 0;
    if (resources == null || depth > 5) {
      return 0;
    }
    for (COSName name : resources.getXObjectNames()) {
      var xobject = resources.getXObject(name);
      if (xobject instanceof PDImageXObject) {
        n++;
      } else if (xobject instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form) {
        n += images(form.getResources(), depth + 1);
      }
    }
    return n;
  }

  static int pageCount(Path pdf) throws Exception {
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      return document.getNumberOfPages();
    }
  }

  @Test
  void pdfIsTheDefaultOutputAndDocxTheAlternative() {
    assertEquals("pdf", format.outputExtension("pdf"));
    assertEquals(List.of("pdf", "docx"), format.outputExtensions("pdf"));
  }

  @Test
  void columnsAreSeparateBlocksInReadingOrder() throws Exception {
    var segments = format.extract(report()).segments();
    assertEquals(List.of("Garden Report", "Our garden grew a lot this year, thanks to every volunteer who came on Saturday mornings.",
        "Left column speaks about the apple trees.", "Right column speaks about the river banks.", "Thank you for reading."),
        segments);
  }

  @Test
  void translatedPdfKeepsPagesAndImagesAndShowsOnlyTheTranslationOnItsPage() throws Exception {
    Path source = report();
    var extraction = format.extract(source);
    List<String> translations = marked(extraction.segments());
    Path target = dir.resolve("out.pdf");
    extraction.write(translations, target, false);

    assertEquals(pageCount(source), pageCount(target));
    assertEquals(imagesPerPage(source), imagesPerPage(target));
    assertEquals(List.of(1, 2, 0), imagesPerPage(target));
    String first = pdftotext(target, 1);
    String second = pdftotext(target, 2);
    assertTrue(first.contains("GARDENZ REPORTZ"), first);
    assertTrue(first.contains("SATURDAYZ"), first);
    assertTrue(second.contains("APPLEZ") && second.contains("RIVERZ"), second);
    assertFalse(first.contains("APPLEZ"), "the columns' text is on page 2, not page 1: " + first);
    assertTrue(pdftotext(target, 3).contains("READINGZ"));
    for (int page = 1; page <= 3; page++) {
      String text = pdftotext(target, page);
      for (String sourceWord : List.of("Garden", "garden", "volunteer", "apple", "river", "Thank")) {
        assertFalse(text.contains(sourceWord), "source text '" + sourceWord + "' left on page " + page + ": " + text);
      }
    }
  }

  @Test
  void longTranslationShrinksWithinTheFloorThenGrowsDownwardButKeepsEveryWord() throws Exception {
    Path source = report();
    var extraction = format.extract(source);
    List<String> translations = new ArrayList<>(marked(extraction.segments()));
    // Four times longer than the box holds at any allowed size.
    translations.set(1, String.join(" ", java.util.Collections.nCopies(40, "LONGWORD")) + " ENDMARK");
    Path target = dir.resolve("long.pdf");
    extraction.write(translations, target, false);
    String first = pdftotext(target, 1);
    assertEquals(40, first.split("LONGWORD", -1).length - 1, first);
    assertTrue(first.contains("ENDMARK"), first);
    assertEquals(3, pageCount(target));
  }

  @Test
  void bilingualPdfPutsEachOriginalPageBeforeItsTranslation() throws Exception {
    Path source = report();
    var extraction = format.extract(source);
    Path target = dir.resolve("bilingual.pdf");
    extraction.write(marked(extraction.segments()), target, true);
    assertEquals(6, pageCount(target));
    assertEquals(List.of(1, 1, 2, 2, 0, 0), imagesPerPage(target));
    assertTrue(pdftotext(target, 1).contains("Garden Report"));
    assertTrue(pdftotext(target, 2).contains("GARDENZ REPORTZ"));
    assertFalse(pdftotext(target, 2).contains("Garden Report"));
    assertTrue(pdftotext(target, 3).contains("apple trees"));
    assertTrue(pdftotext(target, 4).contains("APPLEZ"));
  }

  @Test
  void chineseTranslationIsDrawnWithAFontThatHasItsCharacters() throws Exception {
    Path source = report();
    var extraction = format.extract(source);
    List<String> translations = new ArrayList<>(marked(extraction.segments()));
    translations.set(0, "花园报告");
    Path target = dir.resolve("zh.pdf");
    extraction.write(translations, target, false);
    assertTrue(pdftotext(target, 1).contains("花园报告"), pdftotext(target, 1));
  }

  /** A PDF with only an owner password (opens without one) is translated; the result is not encrypted. */
  @Test
  void pdfWithOnlyAnOwnerPasswordIsTranslated() throws Exception {
    Path source = report();
    try (PDDocument document = Loader.loadPDF(source.toFile())) {
      var policy = new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy("owner", "",
          new org.apache.pdfbox.pdmodel.encryption.AccessPermission());
      policy.setEncryptionKeyLength(128);
      document.protect(policy);
      document.save(dir.resolve("locked.pdf").toFile());
    }
    var extraction = format.extract(dir.resolve("locked.pdf"));
    Path target = dir.resolve("locked.out.pdf");
    extraction.write(marked(extraction.segments()), target, false);
    try (PDDocument out = Loader.loadPDF(target.toFile())) {
      assertFalse(out.isEncrypted());
    }
    assertTrue(pdftotext(target, 1).contains("GARDENZ REPORTZ"));
  }

  /** pandoc (md to html) and Chromium's PDF printer (Skia/PDF): a PDF made by other tools. */
  @Test
  void pdfPrintedByChromiumFromPandocHtmlIsTranslatedInPlace() throws Exception {
    Files.writeString(dir.resolve("doc.md"), "# Garden report\n\nThe garden grew a lot this year, thanks to every volunteer"
        + " who came on Saturdays.\n\n![logo](logo.png)\n\nWe planted forty new trees along the river.\n");
    writePng(dir.resolve("logo.png"));
    run(dir, "pandoc", "doc.md", "-s", "--metadata", "title=Report", "-o", "doc.html");
    run(dir, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        "--user-data-dir=" + dir.resolve("chromium-profile"), "--print-to-pdf=" + dir.resolve("doc.pdf"), "doc.html");
    Path source = dir.resolve("doc.pdf");
    var extraction = format.extract(source);
    assertTrue(extraction.segments().contains("We planted forty new trees along the river."), extraction.segments().toString());
    Path target = dir.resolve("doc.out.pdf");
    extraction.write(marked(extraction.segments()), target, false);
    assertEquals(pageCount(source), pageCount(target));
    assertEquals(imagesPerPage(source), imagesPerPage(target));
    assertTrue(imagesPerPage(target).get(0) >= 1, "the logo is kept");
    String text = pdftotext(target, 1);
    assertTrue(text.contains("PLANTEDZ FORTYZ") && text.contains("VOLUNTEERZ"), text);
    assertFalse(text.contains("planted") || text.contains("volunteer"), text);
  }

  static void run(Path dir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), command[0] + " finished");
    assertEquals(0, process.exitValue(), command[0] + ": " + out);
  }

  /** A small red PNG, for a document's image. */
  static void writePng(Path file) throws Exception {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(java.awt.Color.RED);
    g.fillRect(0, 0, 40, 20);
    g.dispose();
    javax.imageio.ImageIO.write(image, "png", file.toFile());
  }
}
