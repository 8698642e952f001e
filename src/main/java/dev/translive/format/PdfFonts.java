package dev.translive.format;

import java.io.IOException;
import java.lang.Character.UnicodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Fonts that cover the translation's script, from Debian's font packages (fonts-noto-core,
 * fonts-wqy-microhei), embedded as subsets; one set per written document. Text in a script with no
 * installed font falls back to Noto Sans, and characters no font has are left out.
 */
final class PdfFonts implements java.io.Closeable {
  private static final Path FONT_DIR = Path.of("/usr/share/fonts");
  /**
   * Candidate files per script, first found wins. Chinese, Japanese and Korean use WenQuanYi Micro Hei
   * (fonts-wqy-microhei): Debian's Noto CJK has CFF outlines, which PDFBox cannot subset.
   */
  private static final Map<UnicodeScript, List<String>> BY_SCRIPT = Map.of(
      UnicodeScript.HAN, List.of("wqy-microhei.ttc"),
      UnicodeScript.HIRAGANA, List.of("wqy-microhei.ttc"),
      UnicodeScript.KATAKANA, List.of("wqy-microhei.ttc"),
      UnicodeScript.HANGUL, List.of("wqy-microhei.ttc"),
      UnicodeScript.ARABIC, List.of("NotoSansArabic-Regular.ttf"),
      UnicodeScript.HEBREW, List.of("NotoSansHebrew-Regular.ttf"),
      UnicodeScript.DEVANAGARI, List.of("NotoSansDevanagari-Regular.ttf"),
      UnicodeScript.THAI, List.of("NotoSansThai-Regular.ttf"));
  private static final List<String> LATIN = List.of("NotoSans-Regular.ttf", "DejaVuSans.ttf");
  private static final List<String> LATIN_BOLD = List.of("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf");
  private static volatile Map<String, Path> installed;

  private final PDDocument document;
  private final Map<String, PDFont> loaded = new HashMap<>();
  private final Map<PDFont, Map<Integer, Boolean>> covered = new HashMap<>();
  private final java.util.Set<String> failed = new java.util.HashSet<>();
  private final List<java.io.Closeable> open = new java.util.ArrayList<>();

  PdfFonts(PDDocument document) {
    this.document = document;
  }

  /** The font for {@code text}: by its first non-Latin script, else Noto Sans (bold when asked). */
  PDFont forText(String text, boolean bold) throws IOException, FormatException {
    List<String> candidates = bold ? LATIN_BOLD : LATIN;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      List<String> forScript = BY_SCRIPT.get(UnicodeScript.of(cp));
      if (forScript != null) {
        candidates = forScript;
        break;
      }
      i += Character.charCount(cp);
    }
    PDFont font = firstLoadable(candidates);
    if (font == null) {
      font = firstLoadable(LATIN);
    }
    if (font == null) {
      throw new FormatException("No font for the translated PDF is installed on this server (fonts-noto-core)");
    }
    return font;
  }

  /** The first of {@code names} that is installed and can be embedded (some CFF collections cannot). */
  private PDFont firstLoadable(List<String> names) {
    for (String name : names) {
      Path file = installed().get(name);
      if (file == null || failed.contains(name)) {
        continue;
      }
      PDFont font = loaded.get(name);
      if (font != null) {
        return font;
      }
      try {
        font = load(file);
        loaded.put(name, font);
        return font;
      } catch (IOException | RuntimeException e) {
        failed.add(name);
      }
    }
    return null;
  }

  /** {@code text} without the characters {@code font} cannot show (they would fail the whole page). */
  String printable(PDFont font, String text) {
    Map<Integer, Boolean> known = covered.computeIfAbsent(font, f -> new HashMap<>());
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cp == '\t' || cp == '\u00a0') {
        cp = ' ';
      }
      if (Character.isISOControl(cp)) {
        return;
      }
      int c = cp;
      if (known.computeIfAbsent(cp, k -> {
        try {
          font.encode(new String(Character.toChars(c)));
          return true;
        } catch (IOException | IllegalArgumentException e) {
          return false;
        }
      })) {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  private PDFont load(Path file) throws IOException {
    if (file.toString().endsWith(".ttc")) {
      // The collection stays open until the document is saved: the subset is written then.
      TrueTypeCollection collection = new TrueTypeCollection(file.toFile());
      open.add(collection);
      TrueTypeFont[] first = new TrueTypeFont[1];
      collection.processAllFonts(font -> {
        if (first[0] == null) {
          first[0] = font;
        }
      });
      return embeddable(first[0]);
    }
    TrueTypeFont font = new org.apache.fontbox.ttf.TTFParser().parse(
        new org.apache.pdfbox.io.RandomAccessReadBufferedFile(file.toFile()));
    open.add(font);
    return embeddable(font);
  }

  /** Only TrueType outlines can be subset: an OpenType font with CFF outlines fails when the PDF is saved. */
  private PDFont embeddable(TrueTypeFont font) throws IOException {
    if (font instanceof org.apache.fontbox.ttf.OpenTypeFont otf && otf.isPostScript()) {
      throw new IOException("CFF outlines cannot be embedded");
    }
    return PDType0Font.load(document, font, true);
  }

  /** Closes the font collections; after the document is saved (subsets are written then). */
  @Override
  public void close() throws IOException {
    for (java.io.Closeable c : open) {
      c.close();
    }
  }

  /** Font files under /usr/share/fonts by file name, listed once. */
  private static Map<String, Path> installed() {
    if (installed == null) {
      Map<String, Path> found = new HashMap<>();
      if (Files.isDirectory(FONT_DIR)) {
        try (Stream<Path> files = Files.walk(FONT_DIR)) {
          files.filter(Files::isRegularFile).forEach(f -> found.putIfAbsent(f.getFileName().toString(), f));
        } catch (IOException e) {
          // no fonts: forText says so
        }
      }
      installed = Map.copyOf(found);
    }
    return installed;
  }
}
