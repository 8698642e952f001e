package dev.translive.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdfwriter.ContentStreamWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;

/**
 * Writes a translated PDF that keeps the original's pages, images and vector graphics: the
 * text-showing operators are taken out of each page's content (and of the forms it draws), and each
 * text block's translation is drawn where the block was, fitted to its box: the font size shrinks
 * down to {@link #FLOOR} of the original, then the block grows downward. Blocks read by text
 * recognition are drawn over a white box, covering the scanned words they replace.
 *
 * <p>Pages are processed one at a time; the document's streams stay in a temp file, not the heap.
 * With {@code bilingual}, each original page is followed by its translated page.
 */
final class PdfLayout {
  /** Smallest font size a translation is set in, as a share of the original's. */
  static final float FLOOR = 0.6f;
  private static final float MIN_POINTS = 4f;
  private static final Set<String> TEXT_SHOWING = Set.of("Tj", "TJ", "'", "\"");

  private PdfLayout() {}

  static void write(Path source, List<List<PdfFormat.Block>> pages, List<String> translations, Path target,
      boolean bilingual) throws IOException, FormatException {
    try (PDDocument document = load(source); PDDocument originals = bilingual ? load(source) : null;
         PdfFonts fonts = new PdfFonts(document)) {
      List<PDPage> translatedPages = new ArrayList<>();
      document.getPages().forEach(translatedPages::add);
      Set<COSBase> cleanedForms = new HashSet<>();
      int next = 0;
      for (int i = 0; i < translatedPages.size(); i++) {
        PDPage page = translatedPages.get(i);
        List<PdfFormat.Block> blocks = i < pages.size() ? pages.get(i) : List.of();
        removeText(document, page, cleanedForms);
        List<String> pageTranslations = translations.subList(next, next + blocks.size());
        next += blocks.size();
        draw(document, page, blocks, pageTranslations, fonts);
        if (originals != null) {
          document.getPages().insertBefore(originals.getPage(i), page);
        }
      }
      AtomicFiles.write(target, document::save);
    }
  }

  /**
   * A scan given as images (png, jpg, tiff pages): one PDF page per image, 612 points (US Letter)
   * wide, the image filling it, and each recognised block's translation drawn over its words.
   */
  static void writeImages(Path source, List<List<PdfFormat.Block>> pages, List<String> translations, Path target)
      throws IOException, FormatException {
    try (PDDocument document = new PDDocument(IOUtils.createTempFileOnlyStreamCache()); PdfFonts fonts = new PdfFonts(document);
         javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(source.toFile())) {
      var readers = javax.imageio.ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new FormatException("The image cannot be read; it may be corrupt");
      }
      javax.imageio.ImageReader reader = readers.next();
      try {
        reader.setInput(in, false, true);
        int next = 0;
        for (int i = 0; i < reader.getNumImages(true); i++) {
          // One image decoded at a time; its size was bounded at upload (ImageFormat.MAX_PIXELS).
          java.awt.image.BufferedImage image = reader.read(i);
          float height = image.getHeight() * 612f / image.getWidth();
          PDPage page = new PDPage(new PDRectangle(612, height));
          document.addPage(page);
          var xobject = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(document, image);
          try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.drawImage(xobject, 0, 0, 612, height);
          }
          List<PdfFormat.Block> blocks = i < pages.size() ? pages.get(i) : List.of();
          draw(document, page, blocks, translations.subList(next, next + blocks.size()), fonts);
          next += blocks.size();
        }
      } finally {
        reader.dispose();
      }
      AtomicFiles.write(target, document::save);
    }
  }

  private static PDDocument load(Path source) throws IOException {
    PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(source.toFile()), "", null, null,
        IOUtils.createTempFileOnlyStreamCache());
    // A PDF with only an owner password opens without one; its translation is saved unencrypted.
    document.setAllSecurityToBeRemoved(true);
    return document;
  }

  /** Replaces the page's content with the same content minus the text-showing operators. */
  private static void removeText(PDDocument document, PDPage page, Set<COSBase> cleanedForms) throws IOException {
    PDStream stream = new PDStream(document);
    try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
      withoutText(new PDFStreamParser(page), out);
    }
    page.setContents(stream);
    removeTextInForms(page.getResources(), cleanedForms, 0);
  }

  /** Forms (XObjects) drawn by the page may show text too; each is cleaned once, nested ones too. */
  private static void removeTextInForms(PDResources resources, Set<COSBase> cleaned, int depth) throws IOException {
    if (resources == null || depth > 8) {
      return;
    }
    for (COSName name : resources.getXObjectNames()) {
      PDXObject xobject = resources.getXObject(name);
      if (xobject instanceof PDFormXObject form && cleaned.add(form.getCOSObject())) {
        ByteArrayOutputStream cleanedContent = new ByteArrayOutputStream();
        withoutText(new PDFStreamParser(form), cleanedContent);
        try (OutputStream out = form.getCOSObject().createOutputStream(COSName.FLATE_DECODE)) {
          cleanedContent.writeTo(out);
        }
        removeTextInForms(form.getResources(), cleaned, depth + 1);
      }
    }
  }

  /** Copies content tokens operator by operator, dropping text-showing operators with their operands. */
  private static void withoutText(PDFStreamParser parser, OutputStream out) throws IOException {
    ContentStreamWriter writer = new ContentStreamWriter(out);
    List<Object> operation = new ArrayList<>();
    for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
      operation.add(token);
      if (token instanceof Operator operator) {
        if (!TEXT_SHOWING.contains(operator.getName())) {
          writer.writeTokens(operation);
        }
        operation.clear();
      }
    }
  }

  private static void draw(PDDocument document, PDPage page, List<PdfFormat.Block> blocks, List<String> translations,
      PdfFonts fonts) throws IOException, FormatException {
    if (blocks.isEmpty()) {
      return;
    }
    PDRectangle crop = page.getCropBox();
    try (PDPageContentStream content = new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND,
        true, true)) {
      float flowTop = 72;
      for (int i = 0; i < blocks.size(); ) {
        // Blocks split from one paragraph share its box: drawn together, one after the other.
        PdfFormat.Box box = blocks.get(i).box();
        StringBuilder text = new StringBuilder(translations.get(i));
        int end = i + 1;
        while (box != null && end < blocks.size() && blocks.get(end).box() == box) {
          text.append('\n').append(translations.get(end++));
        }
        if (box == null) {
          // No position known: set in the page's text area, one block after the other.
          box = new PdfFormat.Box(72, flowTop, crop.getWidth() - 72, flowTop + 12, flowTop + 10, flowTop + 10, 1, false,
              false);
        }
        float bottom = drawBlock(content, crop, box, blocks.get(i).fontSize(), text.toString(), fonts);
        flowTop = bottom + 6;
        i = end;
      }
    }
  }

  /** Draws {@code text} fitted to {@code box}; returns the bottom it reached (top-down page coordinates). */
  private static float drawBlock(PDPageContentStream content, PDRectangle crop, PdfFormat.Box box, float fontSize,
      String text, PdfFonts fonts) throws IOException, FormatException {
    float size = fontSize > 0 ? fontSize : 10;
    PDFont font = fonts.forText(text, box.bold());
    String printable = fonts.printable(font, text);
    float width = Math.max(box.right() - box.left(), size * 4);
    float height = box.bottom() - box.top();
    float ascent = Math.max(box.firstBaseline() - box.top(), size * 0.7f);
    float leading = box.lines() > 1 ? (box.lastBaseline() - box.firstBaseline()) / (box.lines() - 1) : size * 1.2f;
    leading = Math.min(Math.max(leading, size * 1.05f), size * 2f);
    float floor = Math.max(size * FLOOR, Math.min(size, MIN_POINTS));
    float scaled = size;
    List<String> lines = wrap(printable, font, scaled, width);
    while (scaled - 0.5f >= floor && ascent * scaled / size + (lines.size() - 1) * leading * scaled / size > height + 0.5f) {
      scaled -= 0.5f;
      lines = wrap(printable, font, scaled, width);
    }
    float scale = scaled / size;
    float firstBaseline = box.top() + ascent * scale;
    float lastBaseline = firstBaseline + (lines.size() - 1) * leading * scale;
    if (box.cover()) {
      content.setNonStrokingColor(1f, 1f, 1f);
      content.addRect(crop.getLowerLeftX() + box.left() - 1, crop.getUpperRightY() - Math.max(box.bottom(), lastBaseline) - scaled * 0.3f,
          box.right() - box.left() + 2, Math.max(box.bottom(), lastBaseline) - box.top() + scaled * 0.3f + 1);
      content.fill();
    }
    content.setNonStrokingColor(0f, 0f, 0f);
    content.beginText();
    content.setFont(font, scaled);
    for (int i = 0; i < lines.size(); i++) {
      content.setTextMatrix(org.apache.pdfbox.util.Matrix.getTranslateInstance(crop.getLowerLeftX() + box.left(),
          crop.getUpperRightY() - (firstBaseline + i * leading * scale)));
      content.showText(lines.get(i));
    }
    content.endText();
    return lastBaseline + scaled * 0.3f;
  }

  /** Greedy line breaking at spaces; a word wider than the line (or text without spaces, as in CJK) breaks anywhere. */
  static List<String> wrap(String text, PDFont font, float size, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n")) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.strip().split(" +")) {
        if (word.isEmpty()) {
          continue;
        }
        String candidate = line.length() == 0 ? word : line + " " + word;
        if (width(font, candidate, size) <= width) {
          line.setLength(0);
          line.append(candidate);
          continue;
        }
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
        }
        for (int i = 0; i < word.length(); ) {
          int cp = word.codePointAt(i);
          String more = line.toString() + new String(Character.toChars(cp));
          if (line.length() > 0 && width(font, more, size) > width) {
            lines.add(line.toString());
            line.setLength(0);
          }
          line.appendCodePoint(cp);
          i += Character.charCount(cp);
        }
      }
      if (line.length() > 0) {
        lines.add(line.toString());
      }
    }
    if (lines.isEmpty()) {
      lines.add("");
    }
    return lines;
  }

  private static float width(PDFont font, String text, float size) throws IOException {
    return font.getStringWidth(text) / 1000 * size;
  }
}
