package dev.translive.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Text recognition with Tesseract (Debian's tesseract-ocr and its language packs), one process per
 * page or image, on the caller's worker thread, with a time limit and a bounded output.
 */
final class Ocr {
  private static final long TIMEOUT_SECONDS = 120;
  private static final int MAX_OUTPUT_BYTES = 4 << 20;
  private static volatile List<String> languages;

  /** Recognised documents by content digest: the upload is read at intake and again by the translator. */
  private static final int REMEMBERED = 16;
  private static final java.util.Map<String, List<List<PdfFormat.Block>>> RECENT =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(REMEMBERED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, List<List<PdfFormat.Block>>> eldest) {
          return size() > REMEMBERED;
        }
      });

  /** What recognises a whole document, page by page. */
  @FunctionalInterface
  interface Pages {
    List<List<PdfFormat.Block>> read() throws IOException, FormatException;
  }

  /**
   * Pages read by text recognition per document: a few seconds each on a worker, at upload and (once
   * more, unless remembered) for the translation, so a scan is kept far below upload.maxPages.
   */
  static final int MAX_PAGES = 200;

  private Ocr() {}

  /** Refuses a scan with more pages than text recognition takes on. */
  static void checkPages(long pages) throws FormatException {
    if (pages > MAX_PAGES) {
      throw new DocumentTooLargeException("The scan has " + FormatLimits.count(pages) + " pages; text recognition reads at most "
          + MAX_PAGES + " pages per file. Split it into smaller files");
    }
  }

  /** The pages of {@code file} as recognised before if its content was, else as {@code pages} reads them. */
  static List<List<PdfFormat.Block>> remembered(Path file, Pages pages) throws IOException, FormatException {
    String key = digest(file);
    List<List<PdfFormat.Block>> known = RECENT.get(key);
    if (known == null) {
      known = List.copyOf(pages.read());
      RECENT.put(key, known);
    }
    return known;
  }

  private static String digest(Path file) throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether tesseract is installed with at least one language. */
  static boolean available() {
    return !languages().isEmpty();
  }

  /** The installed languages (not the script detector), e.g. "eng+spa". */
  private static List<String> languages() {
    if (languages == null) {
      List<String> found = new ArrayList<>();
      try {
        Process process = new ProcessBuilder("tesseract", "--list-langs").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        if (process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0) {
          for (String line : out.split("\n")) {
            String lang = line.strip();
            if (lang.matches("[a-z_]{3,}") && !lang.equals("osd")) {
              found.add(lang);
            }
          }
        }
        process.destroyForcibly();
      } catch (IOException e) {
        // not installed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      languages = List.copyOf(found);
    }
    return languages;
  }

  /**
   * The text Tesseract reads in {@code image}; pages of a multi-page TIFF are separated by form feeds.
   *
   * @param what names the page or image in the message when recognition fails
   */
  static String recognize(Path image, String what) throws IOException, FormatException {
    return run(image, what, List.of());
  }

  /**
   * The paragraphs Tesseract finds in {@code image}, each with its box on the page in points
   * ({@code pointsPerPixel} from the rendering's resolution) and a font size from its lines' height,
   * marked to be drawn over (the scanned words stay in the page image).
   */
  static List<PdfFormat.Block> recognizeBlocks(Path image, String what, float pointsPerPixel)
      throws IOException, FormatException {
    List<List<PdfFormat.Block>> pages = recognizePages(image, what, page -> pointsPerPixel);
    return pages.isEmpty() ? List.of() : pages.get(0);
  }

  /** Scale from pixels to points for a page (0-based) of a multi-page image. */
  @FunctionalInterface
  interface PageScale {
    float pointsPerPixel(int page);
  }

  /** {@link #recognizeBlocks} for each page of a multi-page image (a TIFF), in page order. */
  static List<List<PdfFormat.Block>> recognizePages(Path image, String what, PageScale scale)
      throws IOException, FormatException {
    // TSV columns: level page block paragraph line word left top width height confidence text.
    java.util.Map<String, List<float[]>> lineBoxes = new java.util.LinkedHashMap<>();
    java.util.Map<String, List<StringBuilder>> lineTexts = new java.util.HashMap<>();
    for (String row : run(image, what, List.of("tsv")).split("\n")) {
      String[] f = row.split("\t", -1);
      if (f.length < 12 || !(f[0].equals("4") || f[0].equals("5"))) {
        continue;
      }
      String paragraph = f[1] + "/" + f[2] + "/" + f[3];
      if (f[0].equals("4")) {
        lineBoxes.computeIfAbsent(paragraph, k -> new ArrayList<>()).add(new float[] {
            Float.parseFloat(f[6]), Float.parseFloat(f[7]), Float.parseFloat(f[8]), Float.parseFloat(f[9])});
        lineTexts.computeIfAbsent(paragraph, k -> new ArrayList<>()).add(new StringBuilder());
      } else if (lineTexts.containsKey(paragraph) && !f[11].isBlank()) {
        List<StringBuilder> lines = lineTexts.get(paragraph);
        StringBuilder line = lines.get(lines.size() - 1);
        line.append(line.length() == 0 ? "" : " ").append(f[11].strip());
      }
    }
    List<List<PdfFormat.Block>> pages = new ArrayList<>();
    for (var entry : lineBoxes.entrySet()) {
      int page = Integer.parseInt(entry.getKey().substring(0, entry.getKey().indexOf('/'))) - 1;
      while (pages.size() <= page) {
        pages.add(new ArrayList<>());
      }
      List<PdfFormat.Block> blocks = pages.get(page);
      List<float[]> boxes = entry.getValue();
      StringBuilder text = new StringBuilder();
      float left = Float.MAX_VALUE;
      float top = Float.MAX_VALUE;
      float right = 0;
      float bottom = 0;
      float heights = 0;
      for (int i = 0; i < boxes.size(); i++) {
        float[] b = boxes.get(i);
        text.append(lineTexts.get(entry.getKey()).get(i)).append('\n');
        left = Math.min(left, b[0]);
        top = Math.min(top, b[1]);
        right = Math.max(right, b[0] + b[2]);
        bottom = Math.max(bottom, b[1] + b[3]);
        heights += b[3];
      }
      float[] first = boxes.get(0);
      float[] last = boxes.get(boxes.size() - 1);
      float s = scale.pointsPerPixel(page);
      PdfFormat.Box box = new PdfFormat.Box(left * s, top * s, right * s, bottom * s, (first[1] + first[3] * 0.8f) * s,
          (last[1] + last[3] * 0.8f) * s, boxes.size(), false, true);
      float fontSize = Math.round(heights / boxes.size() * s * 2) / 2f;
      for (String paragraph : PdfFormat.paragraphs(text.toString())) {
        blocks.add(new PdfFormat.Block(paragraph, fontSize, box));
      }
    }
    return pages;
  }

  private static String run(Path image, String what, List<String> config) throws IOException, FormatException {
    List<String> command = new ArrayList<>(List.of("tesseract", image.toString(), "stdout", "-l", String.join("+", languages())));
    command.addAll(config);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (InputStream in = process.getInputStream()) {
      byte[] out = in.readNBytes(MAX_OUTPUT_BYTES);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new FormatException("Text recognition failed on " + what + "; the scan may be unreadable");
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FormatException("Text recognition of " + what + " was interrupted");
    } finally {
      process.destroyForcibly();
    }
  }
}
