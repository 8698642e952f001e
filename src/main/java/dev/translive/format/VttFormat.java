package dev.translive.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * WebVTT subtitles: the cue texts are translated (inline tags such as {@code <i>} or {@code <v Bob>}
 * go to the translator as they are); the header, NOTE, STYLE and REGION blocks, cue identifiers,
 * timings and cue settings are kept.
 */
public class VttFormat implements DocumentFormat {

  /** "WEBVTT" alone or followed by a space, tab or line break (the spec's signature). */
  private static final Pattern SIGNATURE = Pattern.compile("^WEBVTT([ \t\r\n].*)?$", Pattern.DOTALL);

  @Override
  public String id() {
    return "vtt";
  }

  @Override
  public List<String> extensions() {
    return List.of("vtt");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return TextFiles.looksLikeText(head) && SIGNATURE.matcher(TextFiles.asciiHead(head)).matches();
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    byte[] head;
    try (var in = Files.newInputStream(source)) {
      head = in.readNBytes(64);
    }
    if (!matchesContent(head)) {
      throw new FormatException("The .vtt file does not start with the WEBVTT header");
    }
    limits.checkFileSize(source);
    return SubtitleCues.read(source, "vtt");
  }
}
