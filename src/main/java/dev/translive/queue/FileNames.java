package dev.translive.queue;

import dev.translive.format.FormatRegistry;
import java.text.Normalizer;

/** Display names for uploads: never a path, never control characters, bounded length. */
public final class FileNames {
  static final int MAX_LENGTH = 200;

  private FileNames() {}

  public static String sanitize(String raw) {
    String name = raw == null ? "" : Normalizer.normalize(raw, Normalizer.Form.NFC);
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    StringBuilder clean = new StringBuilder();
    name.codePoints()
        .filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT)
        .forEach(clean::appendCodePoint);
    name = clean.toString().strip();
    while (name.startsWith(".")) {
      name = name.substring(1);
    }
    if (name.isEmpty()) {
      name = "document";
    }
    if (name.length() > MAX_LENGTH) {
      String ext = FormatRegistry.extension(name);
      int keep = MAX_LENGTH - ext.length() - 1;
      name = ext.isEmpty() || ext.length() > 10 ? name.substring(0, MAX_LENGTH) : name.substring(0, keep) + "." + ext;
    }
    return name;
  }

  /** "report.docx" translated to es gives "report.es.docx"; a pdf gives "report.es.docx". */
  public static String resultName(String filename, String targetLang, String outputExtension) {
    int dot = filename.lastIndexOf('.');
    String base = dot <= 0 ? filename : filename.substring(0, dot);
    return base + "." + targetLang + "." + outputExtension;
  }
}
