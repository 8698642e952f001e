package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** .txt: every non-blank line is a paragraph; its layout and the file's encoding are kept. */
public final class PlainTextFormat implements DocumentFormat {

  @Override
  public String id() {
    return "txt";
  }

  @Override
  public List<String> extensions() {
    return List.of("txt");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return TextDecoding.looksLikeText(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    limits.checkFileSize(source);
    TextDecoding.Decoded decoded = TextDecoding.decode(java.nio.file.Files.readAllBytes(source));
    TextTemplate template = new TextTemplate(limits);
    for (String[] line : TextTemplate.lines(decoded.text())) {
      template.beginLine(!line[0].isBlank()).translatable(line[0]).endLine(line[1]);
    }
    return new TextExtraction(template, decoded);
  }
}
