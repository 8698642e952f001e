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

  /** Extension of the translated file; equal to the input's except where the format says otherwise (images give docx). */
  default String outputExtension(String inputExtension) {
    return inputExtension;
  }

  /**
   * The extensions a translation of this format can be written as, the default ({@link
   * #outputExtension}) first; a client picks another with the {@code output} option. {@link
   * Extraction#write} writes the one its target file's name ends with.
   */
  default List<String> outputExtensions(String inputExtension) {
    return List.of(outputExtension(inputExtension));
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

  /**
   * {@link #extract(Path, FormatLimits)}, telling {@code progress} how far a long read is (text
   * recognition, page by page); formats that read quickly do not report.
   */
  default Extraction extract(Path source, FormatLimits limits, Progress progress) throws IOException, FormatException {
    return extract(source, limits);
  }

  /** {@link #extract(Path, FormatLimits, Progress)} within the format's limits (the registry's). */
  default Extraction extract(Path source, Progress progress) throws IOException, FormatException {
    return extract(source, FormatLimits.DEFAULTS, progress);
  }

  /** How far an extraction is; called on the extracting (worker) thread. */
  @FunctionalInterface
  interface Progress {
    Progress NONE = (done, total, description) -> {};

    /** {@code done} of {@code total} units read, with a description for the user ("Recognizing text, page 3/12"). */
    void report(int done, int total, String description);
  }

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
