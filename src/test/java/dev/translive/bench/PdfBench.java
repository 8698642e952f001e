package dev.translive.bench;

import dev.translive.format.DocumentFormat;
import dev.translive.format.FormatRegistry;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * PDF layout and text recognition, in process: a generated PDF (a title, three paragraphs, an image
 * and a rule per page) read and written back as a translated PDF; a generated scan (one page image
 * each) recognised with Tesseract and written back as a PDF. Seconds per page for each stage, and
 * peak heap above the baseline (pools' peak usage, reset before each run), at two document sizes: a
 * peak that does not grow with the page count is what "page by page" means.
 *
 * <p>Environment: BENCH_PDF_PAGES (200), BENCH_OCR_PAGES (200; each page is a few seconds of
 * Tesseract).
 */
public final class PdfBench {
  private static final String[] SENTENCES = {
    "The garden grew a lot this year, thanks to every volunteer who came on Saturday mornings.",
    "We planted forty new trees along the river and built a small greenhouse for the young plants.",
    "Next spring the children from the school next door will learn how to keep the soil healthy.",
  };

  public static void main(String[] args) throws Exception {
    int pages = Integer.parseInt(System.getenv().getOrDefault("BENCH_PDF_PAGES", "200"));
    int ocrPages = Integer.parseInt(System.getenv().getOrDefault("BENCH_OCR_PAGES", "200"));
    Path work = Files.createTempDirectory("translive-bench-pdf-");
    DocumentFormat pdf = FormatRegistry.discover().forFilename("bench.pdf");
    BenchResult result = new BenchResult("pdf", "PDF layout and text recognition");
    result.config.put("pages", pages).put("ocrPages", ocrPages).put("maxHeap", Runtime.getRuntime().maxMemory());

    // Warm-up (class loading, font parsing), then a small and the full document.
    run(pdf, textPdf(work.resolve("warm.pdf"), 5), work, "warm");
    Run small = run(pdf, textPdf(work.resolve("small.pdf"), Math.max(1, pages / 10)), work, "small");
    Run full = run(pdf, textPdf(work.resolve("full.pdf"), pages), work, "full");
    print("layout", small);
    print("layout", full);
    result.info("layout: read, s/page (" + pages + " pages)", full.extractSeconds / pages, "s")
        .info("layout: write translated PDF, s/page", full.writeSeconds / pages, "s")
        .info("layout: peak heap above baseline, " + small.pages + " pages", mb(small.peakHeap), "MB")
        .info("layout: peak heap above baseline, " + pages + " pages", mb(full.peakHeap), "MB")
        .info("layout: heap per added page (peak growth from " + small.pages + " to " + pages + " pages)",
            Math.max(0, full.peakHeap - small.peakHeap) / 1024.0 / Math.max(1, pages - small.pages), "KB");

    List<String> labels = new java.util.ArrayList<>(List.of("layout read", "layout write"));
    List<Double> perPage = new java.util.ArrayList<>(List.of(full.extractSeconds / pages, full.writeSeconds / pages));
    if (ocrPages > 0) {
      Run scan = run(pdf, scanPdf(work.resolve("scan.pdf"), ocrPages), work, "scan");
      labels.addAll(List.of("OCR recognise", "OCR write"));
      perPage.addAll(List.of(scan.extractSeconds / ocrPages, scan.writeSeconds / ocrPages));
      print("ocr", scan);
      result.info("ocr: recognise, s/page (" + ocrPages + " pages)", scan.extractSeconds / ocrPages, "s")
          .info("ocr: write translated PDF, s/page", scan.writeSeconds / ocrPages, "s")
          .info("ocr: peak heap above baseline, " + ocrPages + " pages", mb(scan.peakHeap), "MB");

    }
    result.chart(Svg.bars("Seconds per page", "s", labels, perPage.stream().mapToDouble(Double::doubleValue).toArray(), null));
    result.note("Heap: the JVM's heap pools' peak usage during the run minus the live heap before it (after a GC); "
        + "a peak that stays flat from the small to the full document means memory is bounded per page.");
    result.write();
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  record Run(int pages, double extractSeconds, double writeSeconds, long peakHeap) {}

  private static Run run(DocumentFormat pdf, Path source, Path work, String name) throws Exception {
    System.gc();
    long baseline = usedHeap();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    var extraction = pdf.extract(source);
    long extracted = System.nanoTime();
    List<String> translations = extraction.segments().stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
    extraction.write(translations, work.resolve(name + ".out.pdf"), false);
    long written = System.nanoTime();
    long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    int pages;
    try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(source.toFile())) {
      pages = document.getNumberOfPages();
    }
    return new Run(pages, (extracted - start) / 1e9, (written - extracted) / 1e9, Math.max(0, peak - baseline));
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double mb(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
  }

  private static void print(String what, Run run) {
    System.out.printf(Locale.ROOT, "%s %d pages: read %.3f s/page, write %.3f s/page, peak heap +%.1f MB%n", what,
        run.pages, run.extractSeconds / run.pages, run.writeSeconds / run.pages, mb(run.peakHeap));
  }

  static Path textPdf(Path file, int pages) throws Exception {
    try (PDDocument document = new PDDocument()) {
      PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      PDImageXObject image = LosslessFactory.createFromImage(document, new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB));
      for (int p = 0; p < pages; p++) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          text(content, bold, 20, 72, 720, "Chapter " + (p + 1) + ": the garden");
          float y = 680;
          for (String sentence : SENTENCES) {
            String[] words = (sentence + " " + sentence).split(" ");
            StringBuilder line = new StringBuilder();
            for (String word : words) {
              if (line.length() + word.length() > 80) {
                text(content, regular, 11, 72, y, line.toString());
                y -= 14;
                line.setLength(0);
              }
              line.append(line.length() == 0 ? "" : " ").append(word);
            }
            text(content, regular, 11, 72, y, line.toString());
            y -= 30;
          }
          content.drawImage(image, 72, y - 100, 120, 80);
          content.moveTo(72, y - 110);
          content.lineTo(540, y - 110);
          content.stroke();
        }
      }
      document.save(file.toFile());
    }
    return file;
  }

  private static void text(PDPageContentStream content, PDType1Font font, float size, float x, float y, String text)
      throws Exception {
    content.beginText();
    content.setFont(font, size);
    content.newLineAtOffset(x, y);
    content.showText(text);
    content.endText();
  }

  /** One page image per page (150 dpi, letter width), rendered from text, with no text layer. */
  static Path scanPdf(Path file, int pages) throws Exception {
    try (PDDocument document = new PDDocument()) {
      for (int p = 0; p < pages; p++) {
        BufferedImage image = new BufferedImage(1275, 700, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SERIF, Font.BOLD, 44));
        g.drawString("Chapter " + (p + 1), 150, 150);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 30));
        for (int i = 0; i < SENTENCES.length; i++) {
          String s = SENTENCES[i];
          int cut = s.indexOf(' ', s.length() / 2);
          g.drawString(s.substring(0, cut), 150, 260 + 130 * i);
          g.drawString(s.substring(cut + 1), 150, 300 + 130 * i);
        }
        g.dispose();
        PDPage page = new PDPage();
        document.addPage(page);
        PDImageXObject xobject = LosslessFactory.createFromImage(document, image);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.drawImage(xobject, 0, 792 - 700 * 72f / 150, 612, 700 * 72f / 150);
        }
      }
      document.save(file.toFile());
    }
    return file;
  }
}
