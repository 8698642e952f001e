package dev.translive.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cue texts of a SubRip or WebVTT file. Both are blocks separated by blank lines; a block whose
 * line contains "-->" is a cue and the lines after that timing line are its text. Everything else
 * (numbers, identifiers, timings with cue settings, the WEBVTT header, NOTE/STYLE/REGION blocks) is
 * copied through untouched.
 */
final class SubtitleCues implements DocumentFormat.Extraction {

  private final TextFiles.Decoded decoded;
  private final List<String> lines;
  private final String lineBreak;
  /** Per cue: index of its first and one past its last text line. */
  private final List<int[]> textRanges = new ArrayList<>();
  private final List<String> segments = new ArrayList<>();

  private SubtitleCues(TextFiles.Decoded decoded) {
    this.decoded = decoded;
    String text = decoded.text();
    this.lines = Arrays.asList(text.split("\r\n|\n|\r", -1));
    this.lineBreak = text.contains("\r\n") ? "\r\n" : text.contains("\r") && !text.contains("\n") ? "\r" : "\n";
    int blockStart = 0;
    for (int i = 0; i <= lines.size(); i++) {
      if (i == lines.size() || lines.get(i).isBlank()) {
        addCue(blockStart, i);
        blockStart = i + 1;
      }
    }
  }

  /** Reads {@code source}; fails when it holds no timing line at all, i.e. is not subtitles. */
  static SubtitleCues read(Path source, String extension) throws IOException, FormatException {
    SubtitleCues cues = new SubtitleCues(TextFiles.decode(Files.readAllBytes(source)));
    if (cues.textRanges.isEmpty() && cues.lines.stream().noneMatch(line -> line.contains("-->"))) {
      throw new FormatException(
          "The ." + extension + " file contains no subtitle cues (no \"start --> end\" timing lines)");
    }
    return cues;
  }

  private void addCue(int start, int end) {
    for (int timing = start; timing < end; timing++) {
      if (lines.get(timing).contains("-->")) {
        if (timing + 1 < end) {
          String text = String.join("\n", lines.subList(timing + 1, end));
          if (!SegmentText.isBlank(text)) {
            textRanges.add(new int[] {timing + 1, end});
            segments.add(text);
          }
        }
        return;
      }
    }
  }

  @Override
  public List<String> segments() {
    return List.copyOf(segments);
  }

  @Override
  public void write(List<String> translations, Path target, boolean bilingual) throws IOException {
    SegmentText.checkCount(segments, translations);
    List<String> out = new ArrayList<>(lines.size());
    int next = 0;
    for (int cue = 0; cue < textRanges.size(); cue++) {
      int[] range = textRanges.get(cue);
      out.addAll(lines.subList(next, range[0]));
      out.addAll(cueLines(translations.get(cue)));
      next = range[1];
    }
    out.addAll(lines.subList(next, lines.size()));
    AtomicFiles.write(target, decoded.encode(String.join(lineBreak, out)));
  }

  /**
   * A blank line would end the cue and "-->" would read as a timing line, so neither may come
   * through from a translation.
   */
  private static List<String> cueLines(String translation) {
    List<String> result = new ArrayList<>();
    for (String line : translation.split("\r\n|\n|\r")) {
      if (!line.isBlank()) {
        result.add(line.replace("-->", "->"));
      }
    }
    return result;
  }
}
