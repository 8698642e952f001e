package dev.translive.format;

import dev.translive.bus.ErrorCode;
import dev.translive.bus.TransliveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The document formats found on the class path, looked up by file extension and checked against
 * content. The formats it hands out read documents within its {@link FormatLimits}; a document
 * that passes one fails with {@link DocumentTooLargeException}.
 */
public final class FormatRegistry {
  private static final int HEAD_BYTES = 8192;
  private final Map<String, DocumentFormat> byExtension = new LinkedHashMap<>();

  public FormatRegistry(List<DocumentFormat> formats, FormatLimits limits) {
    for (DocumentFormat format : formats) {
      DocumentFormat limited = new Limited(format, limits);
      for (String ext : format.extensions()) {
        byExtension.put(ext, limited);
      }
    }
  }

  public FormatRegistry(List<DocumentFormat> formats) {
    this(formats, FormatLimits.DEFAULTS);
  }

  /** Every format registered under META-INF/services, within {@code limits}. */
  public static FormatRegistry discover(FormatLimits limits) {
    return new FormatRegistry(ServiceLoader.load(DocumentFormat.class).stream().map(ServiceLoader.Provider::get).toList(),
        limits);
  }

  /** Every format registered under META-INF/services, within the default limits. */
  public static FormatRegistry discover() {
    return discover(FormatLimits.DEFAULTS);
  }

  /** A format whose {@link #extract(Path)} applies the registry's limits, including the exact counts. */
  private record Limited(DocumentFormat format, FormatLimits limits) implements DocumentFormat {
    @Override
    public String id() {
      return format.id();
    }

    @Override
    public List<String> extensions() {
      return format.extensions();
    }

    @Override
    public String outputExtension(String inputExtension) {
      return format.outputExtension(inputExtension);
    }

    @Override
    public List<String> outputExtensions(String inputExtension) {
      return format.outputExtensions(inputExtension);
    }

    @Override
    public boolean matchesContent(byte[] head) {
      return format.matchesContent(head);
    }

    @Override
    public Extraction extract(Path source) throws IOException, FormatException {
      return limits.extract(format, source);
    }

    @Override
    public Extraction extract(Path source, FormatLimits other) throws IOException, FormatException {
      return other.extract(format, source);
    }

    @Override
    public Extraction extract(Path source, Progress progress) throws IOException, FormatException {
      return limits.extract(format, source, progress);
    }

    @Override
    public Extraction extract(Path source, FormatLimits other, Progress progress) throws IOException, FormatException {
      return other.extract(format, source, progress);
    }
  }

  public List<String> supportedExtensions() {
    return List.copyOf(byExtension.keySet());
  }

  public static String extension(String filename) {
    int dot = filename.lastIndexOf('.');
    return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The format for a file name, or a 415 that lists what is supported. */
  public DocumentFormat forFilename(String filename) {
    DocumentFormat format = byExtension.get(extension(filename));
    if (format == null) {
      throw unsupported("'." + extension(filename) + "' files are not supported");
    }
    return format;
  }

  /** The format for a stored file whose content must match its extension (magic bytes); blocking. */
  public DocumentFormat forFile(String filename, Path stored) {
    DocumentFormat format = forFilename(filename);
    byte[] head;
    try (InputStream in = Files.newInputStream(stored)) {
      head = in.readNBytes(HEAD_BYTES);
    } catch (IOException e) {
      throw ErrorCode.INTERNAL.error("cannot read the stored upload");
    }
    if (!format.matchesContent(head)) {
      throw unsupported("the content of '" + filename + "' is not a ." + extension(filename) + " file");
    }
    return format;
  }

  private TransliveException unsupported(String why) {
    return ErrorCode.UNSUPPORTED_FORMAT.error(why + "; supported formats: ." + String.join(", .", supportedExtensions()));
  }
}
