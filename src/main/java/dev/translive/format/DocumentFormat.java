package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A document format plug-in. Both methods block (file and parser I/O): callers run them on worker
 * threads, never on an event loop.
 */
public interface DocumentFormat {

  /** Short id ("txt", "docx"). */
  String id();

  /** Lower-case file extensions this format reads, without the dot. */
  List<String> extensions();

  /** Extension of the translated file; equal to the input's except where the format says otherwise (pdf gives docx). */
  default String outputExtension(String inputExtension) {
    return inputExtension;
  }

  /** Whether the first bytes of a file look like this format (magic bytes); text formats check for binary garbage. */
  boolean matchesContent(byte[] head);

  /**
   * Parses the document and returns its translatable segments in document order (duplicates kept),
   * plus what is needed to write the translation back.
   *
   * <p>Cheap declared sizes (pages, parts, expanded bytes) are checked against {@code limits} before
   * parsing, and parsing stops once a limit is passed, with {@link FormatLimits.Exceeded}.
   *
   * @throws FormatException when the file is corrupt, hostile or has nothing this format can read;
   *     the message is shown to the user.
   */
  Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException;

  /** {@link #extract(Path, FormatLimits)} within the default limits. */
  default Extraction extract(Path source) throws IOException, FormatException {
    return extract(source, FormatLimits.DEFAULTS);
  }

  /** A parsed document. */
  interface Extraction {
    List<String> segments();

    /**
     * Writes the document with {@code translations} (same size and order as {@link #segments()}) to
     * {@code target}, keeping everything else intact. With {@code bilingual}, each translated paragraph
     * is followed by its original where the format supports it.
     */
    void write(List<String> translations, Path target, boolean bilingual) throws IOException, FormatException;
  }
}
