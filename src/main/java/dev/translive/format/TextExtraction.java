package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The extraction of a line-based text format: renders the template and keeps the source encoding. */
final class TextExtraction implements DocumentFormat.Extraction {
  private final TextTemplate template;
  private final TextDecoding.Decoded source;

  TextExtraction(TextTemplate template, TextDecoding.Decoded source) {
    this.template = template;
    this.source = source;
  }

  @Override
  public List<String> segments() {
    return template.segments();
  }

  @Override
  public void write(List<String> translations, Path target, boolean bilingual) throws IOException {
    AtomicFiles.write(target, TextDecoding.encode(template.render(translations, bilingual), source));
  }
}
