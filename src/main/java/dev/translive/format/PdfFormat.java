package dev.translive.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.TextPosition;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;

/**
 * PDF files: the text layer is read page by page and split into blocks (PDFBox's paragraph
 * detection in content order, a new block where the font size changes or a line starts a new
 * column, then blank lines), each with its box on the page. The translation is a PDF by default:
 * the same pages with each block's translation drawn in its place ({@link PdfLayout}). With the
 * {@code docx} output it is a .docx: one paragraph per block, headings from font sizes, each PDF
 * page starting on a new page.
 */
public class PdfFormat implements DocumentFormat {

  private static final String PARAGRAPH_END = "\n\n";
  private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n");
  /** PDF readers accept the header anywhere in the first KB (some files start with junk). */
  private static final int HEADER_WINDOW = 1024;

  @Override
  public String id() {
    return "pdf";
  }

  @Override
  public List<String> extensions() {
    return List.of("pdf");
  }

  @Override
  public String outputExtension(String inputExtension) {
    return "pdf";
  }

  @Override
  public List<String> outputExtensions(String inputExtension) {
    return OUTPUTS;
  }

  static final List<String> OUTPUTS = List.of("pdf", "docx");

  @Override
  public boolean matchesContent(byte[] head) {
    String start = new String(head, 0, Math.min(head.length, HEADER_WINDOW), StandardCharsets.ISO_8859_1);
    return start.contains("%PDF-");
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    return extract(source, limits, Progress.NONE);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits, Progress progress) throws IOException, FormatException {
    List<List<Block>> pages = new ArrayList<>();
    // Streams beyond the buffer go to a temp file, so a large PDF does not fill the heap.
    try (PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(source.toFile()), "", null, null,
        IOUtils.createTempFileOnlyStreamCache())) {
      // The page count the file declares is read from the page tree's root: cheap, and checked
      // before any page is read, so a small file claiming millions of pages costs nothing.
      limits.checkPages(document.getNumberOfPages());
      new PageCollector(pages, limits).collect(document);
      if (pages.stream().allMatch(List::isEmpty) && Ocr.available()) {
        pages = Ocr.remembered(source, () -> recognize(document, limits, progress));
      }
    } catch (InvalidPasswordException e) {
      throw new FormatException("The PDF is password-protected; remove the password and upload it again", e);
    } catch (FormatLimits.Exceeded e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new FormatException("The PDF is corrupt or unreadable", e);
    }
    if (pages.stream().allMatch(List::isEmpty)) {
      throw new FormatException(Ocr.available() ? "No text could be recognised in the PDF's pages"
          : "The PDF has no text layer (it looks scanned) and text recognition is not installed on this server");
    }
    return new PdfExtraction(pages, source, false);
  }

  /**
   * A scanned PDF: each page rendered in grey at up to 300 dpi (fewer for very large pages, so one
   * page never takes more than {@link ImageFormat#MAX_PIXELS}) and read by Tesseract, page by page,
   * with each paragraph's box, so the translated PDF draws it over the scanned words.
   */
  private static List<List<Block>> recognize(PDDocument document, FormatLimits limits, Progress progress)
      throws IOException, FormatException {
    Ocr.checkPages(document.getNumberOfPages());
    List<List<Block>> pages = new ArrayList<>();
    PDFRenderer renderer = new PDFRenderer(document);
    Path image = Files.createTempFile("translive-ocr-", ".png");
    long segments = 0;
    try {
      int count = document.getNumberOfPages();
      for (int i = 0; i < count; i++) {
        progress.report(i, count, "Recognizing text, page " + (i + 1) + "/" + count);
        PDRectangle box = document.getPage(i).getCropBox();
        double points = (double) box.getWidth() * box.getHeight();
        float dpi = (float) Math.min(300, 72 * Math.sqrt(ImageFormat.MAX_PIXELS / Math.max(points, 1)));
        ImageIO.write(renderer.renderImageWithDPI(i, dpi, ImageType.GRAY), "png", image.toFile());
        List<Block> blocks = Ocr.recognizeBlocks(image, "page " + (i + 1), 72f / dpi);
        segments += blocks.size();
        limits.checkSegments(segments);
        pages.add(blocks);
      }
    } finally {
      Files.deleteIfExists(image);
    }
    return pages;
  }

  /**
   * A paragraph of a page with the size of its largest text, from which headings are told apart, and
   * where it is on the page (null when not known).
   */
  record Block(String text, float fontSize, Box box) {
    Block(String text, float fontSize) {
      this(text, fontSize, null);
    }
  }

  /**
   * Where a block is: in points from the crop box's top-left corner, y downward; its first and last
   * baselines and line count (for the line spacing); bold text; whether its translation must cover
   * what is under it (scanned words).
   */
  record Box(float left, float top, float right, float bottom, float firstBaseline, float lastBaseline, int lines,
      boolean bold, boolean cover) {}

  /**
   * Reads all pages in one pass (not one pass per page), stopping as soon as a limit is passed. A
   * paragraph also ends where the font size changes between lines, so a title is not glued onto the
   * paragraph after it.
   */
  private static final class PageCollector extends PDFTextStripper {
    private final List<List<Block>> pages;
    private final FormatLimits limits;
    private List<Block> page = new ArrayList<>();
    private final StringBuilder paragraph = new StringBuilder();
    private float paragraphSize;
    private boolean lineStart = true;
    private float left;
    private float top;
    private float right;
    private float firstBaseline;
    private float lastBaseline;
    private int lines;
    private boolean bold;
    private long segments;
    private long characters;

    PageCollector(List<List<Block>> pages, FormatLimits limits) throws IOException {
      this.pages = pages;
      this.limits = limits;
      setParagraphEnd(PARAGRAPH_END);
    }

    void collect(PDDocument document) throws IOException {
      writeText(document, java.io.Writer.nullWriter());
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) {
      float size = 0;
      for (TextPosition position : positions) {
        size = Math.max(size, position.getFontSizeInPt());
      }
      if (lineStart && paragraph.length() > 0 && (Math.abs(size - paragraphSize) > 1.5f || newColumn(positions, size))) {
        endParagraph();
      }
      paragraphSize = paragraph.length() == 0 ? size : Math.max(paragraphSize, size);
      paragraph.append(text);
      place(positions);
      lineStart = false;
    }

    /** A line that starts right of the block or above it continues in another column: a new block. */
    private boolean newColumn(List<TextPosition> positions, float size) {
      if (positions.isEmpty()) {
        return false;
      }
      TextPosition first = positions.get(0);
      return first.getXDirAdj() > right + size || first.getYDirAdj() < firstBaseline - size / 2;
    }

    private void place(List<TextPosition> positions) {
      for (TextPosition p : positions) {
        float x = p.getXDirAdj();
        float baseline = p.getYDirAdj();
        if (lines == 0) {
          left = x;
          right = x + p.getWidthDirAdj();
          top = baseline - p.getHeightDir();
          firstBaseline = baseline;
          lastBaseline = baseline;
          lines = 1;
          bold = p.getFont() != null && p.getFont().getName() != null && p.getFont().getName().contains("Bold");
        }
        if (baseline > lastBaseline + p.getHeightDir() / 2) {
          lines++;
          lastBaseline = baseline;
        }
        left = Math.min(left, x);
        right = Math.max(right, x + p.getWidthDirAdj());
        top = Math.min(top, baseline - p.getHeightDir());
      }
    }

    @Override
    protected void writeWordSeparator() {
      paragraph.append(' ');
    }

    @Override
    protected void writeLineSeparator() {
      paragraph.append('\n');
      lineStart = true;
    }

    @Override
    protected void writeParagraphEnd() {
      endParagraph();
    }

    private void endParagraph() {
      Box box = lines == 0 ? null : new Box(left, top, right, lastBaseline, firstBaseline, lastBaseline, lines, bold, false);
      for (String text : paragraphs(paragraph.toString())) {
        segments++;
        characters += text.length();
        page.add(new Block(text, paragraphSize, box));
      }
      paragraph.setLength(0);
      lines = 0;
      lineStart = true;
      limits.checkSegments(segments);
      limits.checkCharacters(characters);
    }

    @Override
    protected void endPage(PDPage pdPage) throws IOException {
      super.endPage(pdPage);
      endParagraph();
      limits.checkPages(pages.size() + 1L);
      pages.add(page);
      page = new ArrayList<>();
    }
  }

  /** Paragraphs of one page's text, each with its line breaks joined and hyphenation undone. */
  static List<String> paragraphs(String pageText) {
    List<String> paragraphs = new ArrayList<>();
    for (String block : BLANK_LINES.split(pageText)) {
      StringBuilder paragraph = new StringBuilder();
      for (String line : block.split("\n")) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        int length = paragraph.length();
        boolean hyphenated = length > 1 && paragraph.charAt(length - 1) == '-'
            && Character.isLetter(paragraph.charAt(length - 2))
            && Character.isLowerCase(trimmed.charAt(0));
        if (hyphenated) {
          paragraph.setLength(length - 1);
        } else if (length > 0) {
          paragraph.append(' ');
        }
        paragraph.append(trimmed);
      }
      if (!SegmentText.isBlank(paragraph.toString())) {
        paragraphs.add(paragraph.toString());
      }
    }
    return paragraphs;
  }

  /**
   * Pages of blocks, written as the PDF {@code source} with the translations in place when the target
   * is a .pdf, else as a .docx: also the result of text recognised in scans and images.
   */
  record PdfExtraction(List<List<Block>> pages, Path source, boolean images) implements Extraction {
    PdfExtraction(List<List<Block>> pages) {
      this(pages, null, false);
    }

    @Override
    public List<String> segments() {
      return pages.stream().flatMap(List::stream).map(Block::text).toList();
    }

    @Override
    public void write(List<String> translations, Path target, boolean bilingual) throws IOException, FormatException {
      SegmentText.checkCount(segments(), translations);
      if (source != null && target.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")) {
        if (images) {
          PdfLayout.writeImages(source, pages, translations, target);
        } else {
          PdfLayout.write(source, pages, translations, target, bilingual);
        }
        return;
      }
      Map<Float, Integer> levels = headingLevels(pages);
      try (XWPFDocument document = new XWPFDocument()) {
        DocxStyles.addHeadings(document);
        int next = 0;
        boolean firstPage = true;
        for (List<Block> page : pages) {
          if (page.isEmpty()) {
            continue;
          }
          for (int i = 0; i < page.size(); i++) {
            Block block = page.get(i);
            XWPFParagraph paragraph = document.createParagraph();
            Integer level = levels.get(block.fontSize());
            if (level != null) {
              paragraph.setStyle("Heading" + level);
            }
            // "Page break before" on the page's first paragraph: no empty paragraphs are added.
            paragraph.setPageBreak(!firstPage && i == 0);
            paragraph.createRun().setText(translations.get(next++));
            if (bilingual) {
              XWPFParagraph originalParagraph = document.createParagraph();
              if (level != null) {
                originalParagraph.setStyle("Heading" + level);
              }
              XWPFRun original = originalParagraph.createRun();
              original.setText(block.text());
              original.setItalic(true);
              original.setColor("666666");
            }
          }
          firstPage = false;
        }
        OoxmlPackage.save(document, target);
      }
    }
  }

  /**
   * Heading levels by font size: the body size is the one most text is set in; short paragraphs in
   * larger sizes are headings, the largest size level 1, down to level 3.
   */
  static Map<Float, Integer> headingLevels(List<List<Block>> pages) {
    Map<Float, Long> charactersBySize = new java.util.HashMap<>();
    pages.forEach(page -> page.forEach(b -> charactersBySize.merge(b.fontSize(), (long) b.text().length(), Long::sum)));
    float body = charactersBySize.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0f);
    java.util.TreeSet<Float> larger = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    pages.forEach(page -> page.forEach(b -> {
      if (b.fontSize() >= body * 1.15f && b.text().length() <= 200) {
        larger.add(b.fontSize());
      }
    }));
    Map<Float, Integer> levels = new java.util.HashMap<>();
    int level = 1;
    for (Float size : larger) {
      levels.put(size, Math.min(level++, 3));
    }
    return levels;
  }
}
