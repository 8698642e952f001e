package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The save, extract, write and read-back steps most format tests go through. */
final class FormatFiles {
  private FormatFiles() {}

  /** {@code content} saved as {@code dir/name} and extracted by {@code format}. */
  static DocumentFormat.Extraction extracted(DocumentFormat format, Path dir, String name, String content)
      throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return format.extract(file);
  }

  /** {@code content} saved byte for byte as {@code dir/name} and extracted by {@code format}. */
  static DocumentFormat.Extraction extracted(DocumentFormat format, Path dir, String name, byte[] content)
      throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return format.extract(file);
  }

  /** What {@code extraction} writes to {@code dir/name} for {@code translations}, read back as UTF-8. */
  static String written(DocumentFormat.Extraction extraction, List<String> translations, Path dir, String name,
      boolean bilingual) throws Exception {
    Path target = dir.resolve(name);
    extraction.write(translations, target, bilingual);
    return Files.readString(target);
  }

  /** The bytes {@code extraction} writes to {@code dir/name} for {@code translations}. */
  static byte[] writtenBytes(DocumentFormat.Extraction extraction, List<String> translations, Path dir, String name)
      throws Exception {
    Path target = dir.resolve(name);
    extraction.write(translations, target, false);
    return Files.readAllBytes(target);
  }

  /** Fails, showing {@code text}, unless it contains every one of {@code parts}. */
  static void assertContainsAll(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), text);
    }
  }
}
