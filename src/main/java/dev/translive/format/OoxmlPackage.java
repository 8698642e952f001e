package dev.translive.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.poi.ooxml.POIXMLDocument;
import org.apache.poi.openxml4j.util.ZipSecureFile;

/**
 * Opens Office Open XML (docx, pptx, xlsx) files safely: checks the zip's central directory for
 * corruption, the wrong OOXML kind and zip bombs before POI inflates anything, and turns POI's
 * failures into user-facing {@link FormatException}s.
 */
final class OoxmlPackage {

  /** Total uncompressed size we accept; real documents (even with many images) stay well below. */
  static final long MAX_EXPANDED_BYTES = 512L * 1024 * 1024;

  private static final long MAX_ENTRIES = 20_000;

  static {
    // Second line of defence for entries whose declared size lies: POI checks while inflating.
    ZipSecureFile.setMaxEntrySize(MAX_EXPANDED_BYTES);
    ZipSecureFile.setMaxFileCount(MAX_ENTRIES);
  }

  /** The OOXML flavours, told apart by the top-level folder of their main part. */
  enum Kind {
    WORD("word/", "a Word document", "docx"),
    PRESENTATION("ppt/", "a PowerPoint presentation", "pptx"),
    WORKBOOK("xl/", "an Excel workbook", "xlsx");

    final String folder;
    final String description;
    final String extension;

    Kind(String folder, String description, String extension) {
      this.folder = folder;
      this.description = description;
      this.extension = extension;
    }
  }

  /** POI's document constructors, e.g. {@code XWPFDocument::new}. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(InputStream in) throws IOException;
  }

  private OoxmlPackage() {}

  /** Zip local file header magic "PK\3\4". */
  static boolean looksLikeZip(byte[] head) {
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  /** Validates {@code source} as {@code kind} and parses it with POI. */
  static <T> T open(Path source, Kind kind, FormatLimits limits, Parser<T> parser) throws IOException, FormatException {
    inspect(source, kind, limits);
    try (InputStream in = Files.newInputStream(source)) {
      return parser.parse(in);
    } catch (IOException | RuntimeException e) {
      if (mentionsZipBomb(e)) {
        throw zipBomb();
      }
      throw new FormatException(
          "The ." + kind.extension + " file is corrupt and cannot be read (" + shortReason(e) + ")", e);
    }
  }

  /** Writes a POI document to {@code target}. */
  /** Written atomically (temp file, fsync, rename), like every result. */
  static void save(POIXMLDocument document, Path target) throws IOException {
    AtomicFiles.write(target, document::write);
  }

  /** Reads only the central directory, so a bomb is rejected without inflating a byte. */
  private static void inspect(Path source, Kind kind, FormatLimits limits) throws IOException, FormatException {
    String notReadable =
        "The ." + kind.extension + " file is not a readable ZIP archive; it may be truncated or corrupt";
    try (ZipFile zip = new ZipFile(source.toFile())) {
      long expanded = 0;
      long markup = 0;
      long count = 0;
      Kind found = null;
      boolean hasContentTypes = false;
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        count++;
        long size = entry.getSize();
        // An unknown size is treated as hostile rather than as zero.
        expanded += size < 0 ? MAX_EXPANDED_BYTES + 1 : size;
        if (expanded > MAX_EXPANDED_BYTES || count > MAX_ENTRIES) {
          throw zipBomb();
        }
        String name = entry.getName();
        if (name.endsWith(".xml") || name.endsWith(".rels") || name.endsWith(".vml")) {
          // Parsed into memory by POI, unlike images and fonts, which are only copied.
          markup += size < 0 ? MAX_EXPANDED_BYTES + 1 : size;
        }
        hasContentTypes |= name.equals("[Content_Types].xml");
        for (Kind candidate : Kind.values()) {
          if (found == null && name.startsWith(candidate.folder)) {
            found = candidate;
          }
        }
      }
      limits.checkMarkupBytes(markup);
      if (!hasContentTypes || found == null) {
        throw new FormatException(
            "The ." + kind.extension + " file is a ZIP archive but not an Office document");
      }
      if (found != kind) {
        throw new FormatException(
            "The file is " + found.description + ", not " + kind.description
                + "; rename it to ." + found.extension + " and upload it again");
      }
    } catch (ZipException e) {
      throw new FormatException(notReadable, e);
    }
  }

  private static FormatException zipBomb() {
    return new FormatException(
        "The document expands to more than " + (MAX_EXPANDED_BYTES >> 20)
            + " MB; refusing (possible zip bomb)");
  }

  private static boolean mentionsZipBomb(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && (message.contains("Zip bomb") || message.contains("max. ratio"))) {
        return true;
      }
    }
    return false;
  }

  /** The innermost message, which is the one that names the actual problem. */
  private static String shortReason(Throwable e) {
    String reason = e.getClass().getSimpleName();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        reason = t.getMessage();
      }
    }
    return reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
  }
}
