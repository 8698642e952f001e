package dev.translive.format;

import java.nio.file.Path;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * What reading one document may cost: segments, characters of text, PDF pages, and the uncompressed
 * bytes of text and markup (XML, HTML, plain text) it may have, which bounds the parsers' memory
 * (POI holds about 25 times the XML it parses). Formats check the cheap declared sizes against these
 * before parsing and stop parsing as soon as one is passed.
 */
public record FormatLimits(int maxSegments, long maxCharacters, int maxPages, long maxMarkupBytes) {

  /**
   * Defaults that let two documents be read at once within a 1 GB heap: 16 MB of XML took about
   * 400 MB of heap in POI (measured: 34 MB of document.xml, 800,000 paragraphs, fit in -Xmx1g alone).
   */
  public static final FormatLimits DEFAULTS = new FormatLimits(100_000, 10_000_000, 2_000, 16L << 20);

  public FormatLimits {
    if (maxSegments < 1 || maxCharacters < 1 || maxPages < 1 || maxMarkupBytes < 1) {
      throw new IllegalArgumentException("upload.maxSegments, maxCharacters, maxPages and maxMarkupBytes must be positive");
    }
  }

  /** A limit was passed; the message is for the user. Unchecked so parsers' callbacks can stop with it. */
  public static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  void checkSegments(long segments) {
    if (segments > maxSegments) {
      throw new Exceeded("The document has more than " + count(maxSegments) + " segments (paragraphs, cells or"
          + " sentences); at most " + count(maxSegments) + " are accepted per file. Split it into smaller files");
    }
  }

  void checkCharacters(long characters) {
    if (characters > maxCharacters) {
      throw new Exceeded("The document has more than " + count(maxCharacters) + " characters of text; at most "
          + count(maxCharacters) + " are accepted per file. Split it into smaller files");
    }
  }

  void checkPages(long declaredPages) {
    if (declaredPages > maxPages) {
      throw new Exceeded("The PDF has " + count(declaredPages) + " pages; at most " + count(maxPages)
          + " are accepted per file. Split it into smaller files");
    }
  }

  void checkMarkupBytes(long bytes) {
    if (bytes > maxMarkupBytes) {
      throw new Exceeded("The document expands to " + megabytes(bytes) + " of text and markup; at most "
          + megabytes(maxMarkupBytes) + " are accepted per file");
    }
  }

  /** Refuses a file bigger than the text and markup a document may have, before reading it. */
  void checkFileSize(Path source) throws IOException {
    checkMarkupBytes(java.nio.file.Files.size(source));
  }

  /** Extracts within these limits: the format's own early checks, then the exact counts. */
  DocumentFormat.Extraction extract(DocumentFormat format, Path source) throws IOException, FormatException {
    return extract(format, source, DocumentFormat.Progress.NONE);
  }

  /** {@link #extract(DocumentFormat, Path)}, reporting to {@code progress}. */
  DocumentFormat.Extraction extract(DocumentFormat format, Path source, DocumentFormat.Progress progress)
      throws IOException, FormatException {
    try {
      DocumentFormat.Extraction extraction = format.extract(source, this, progress);
      List<String> segments = extraction.segments();
      checkSegments(segments.size());
      long characters = 0;
      for (String segment : segments) {
        characters += segment.length();
      }
      checkCharacters(characters);
      return extraction;
    } catch (Exceeded e) {
      throw new DocumentTooLargeException(e.getMessage());
    }
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String megabytes(long bytes) {
    double mb = bytes / (1024.0 * 1024.0);
    return mb >= 10 ? String.format(Locale.ROOT, "%,d MB", Math.round(mb)) : String.format(Locale.ROOT, "%.1f MB", mb);
  }
}
