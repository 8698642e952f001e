package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** SubRip subtitles: the cue texts are translated; numbering and timestamps are kept. */
public class SrtFormat implements DocumentFormat {

  @Override
  public String id() {
    return "srt";
  }

  @Override
  public List<String> extensions() {
    return List.of("srt");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return TextFiles.looksLikeText(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    limits.checkFileSize(source);
    return SubtitleCues.read(source, "srt");
  }
}
