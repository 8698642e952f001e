package dev.translive.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line-based text document split into fixed text and translatable segments, for the plain-text
 * formats. Each line keeps its own ending, so the output has exactly the input's layout.
 */
final class TextTemplate {
  /** Long paragraphs are cut into sentences, so progress moves and engines get manageable units. */
  private static final int SENTENCE_SPLIT_THRESHOLD = 400;
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\"'(\\[])");

  private final List<Line> lines = new ArrayList<>();
  private final List<String> segments = new ArrayList<>();
  /** Per segment: the text as written (for bilingual output) and the markup behind its tags. */
  private final List<String> originals = new ArrayList<>();
  private final List<InlineTags.Markup> markups = new ArrayList<>();
  private Line current;
  private final FormatLimits limits;

  TextTemplate(FormatLimits limits) {
    this.limits = limits;
  }

  private record Part(String fixed, int segmentIndex) {}

  private static final class Line {
    final List<Part> parts = new ArrayList<>();
    String ending = "";
    boolean paragraph;
  }

  /** Starts a new line; {@code paragraph} lines are repeated in the original under bilingual output. */
  TextTemplate beginLine(boolean paragraph) {
    current = new Line();
    current.paragraph = paragraph;
    lines.add(current);
    return this;
  }

  TextTemplate fixed(String text) {
    if (!text.isEmpty()) {
      current.parts.add(new Part(text, -1));
    }
    return this;
  }

  /** Adds text to translate; surrounding whitespace stays fixed, and long text is split into sentences. */
  TextTemplate translatable(String text) {
    return inline(text, plain -> new InlineTags.Builder().text(plain));
  }

  /**
   * Adds text with inline markup: each sentence becomes one segment in which {@code parse} has
   * turned the markup into tags, so text around inline code or a link is translated in context.
   */
  TextTemplate inline(String text, java.util.function.Function<String, InlineTags.Builder> parse) {
    int start = 0;
    int end = text.length();
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    fixed(text.substring(0, start));
    String core = text.substring(start, end);
    if (core.length() <= SENTENCE_SPLIT_THRESHOLD) {
      taggedSegment(core, parse);
    } else {
      Matcher m = SENTENCE_END.matcher(core);
      int from = 0;
      while (m.find()) {
        taggedSegment(core.substring(from, m.start()), parse);
        fixed(m.group());
        from = m.end();
      }
      taggedSegment(core.substring(from), parse);
    }
    fixed(text.substring(end));
    return this;
  }

  private void taggedSegment(String raw, java.util.function.Function<String, InlineTags.Builder> parse) {
    InlineTags.Builder built = parse.apply(raw);
    if (!InlineTags.stripTags(built.segment()).codePoints().anyMatch(Character::isLetter)) {
      fixed(raw);
      return;
    }
    limits.checkSegments(segments.size() + 1L);
    current.parts.add(new Part(null, segments.size()));
    segments.add(built.segment());
    originals.add(raw);
    markups.add(built.markup());
  }

  TextTemplate endLine(String ending) {
    current.ending = ending;
    return this;
  }

  List<String> segments() {
    return segments;
  }

  String render(List<String> translations, boolean bilingual) {
    if (translations.size() != segments.size()) {
      throw new IllegalArgumentException("expected " + segments.size() + " translations, got " + translations.size());
    }
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      boolean translatedAny = false;
      for (Part part : line.parts) {
        if (part.segmentIndex() < 0) {
          out.append(part.fixed());
        } else {
          out.append(markups.get(part.segmentIndex()).restore(translations.get(part.segmentIndex())));
          translatedAny = true;
        }
      }
      if (bilingual && line.paragraph && translatedAny) {
        out.append(line.ending.isEmpty() ? "\n" : line.ending);
        for (Part part : line.parts) {
          out.append(part.segmentIndex() < 0 ? part.fixed() : originals.get(part.segmentIndex()));
        }
      }
      out.append(line.ending);
    }
    return out.toString();
  }

  /** Splits text into lines, each with its ending ("\n", "\r\n" or "" for the last). */
  static List<String[]> lines(String text) {
    List<String[]> result = new ArrayList<>();
    int start = 0;
    int length = text.length();
    while (start < length) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        result.add(new String[] {text.substring(start), ""});
        break;
      }
      int contentEnd = nl > start && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
      result.add(new String[] {text.substring(start, contentEnd), text.substring(contentEnd, nl + 1)});
      start = nl + 1;
    }
    return result;
  }
}
