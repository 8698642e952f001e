package dev.translive.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * .md: prose is translated; fenced and indented code blocks, inline code, link targets, HTML tags,
 * URLs, front matter and the Markdown syntax itself are kept as they are.
 */
public final class MarkdownFormat implements DocumentFormat {
  private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})");
  private static final Pattern BLOCK_PREFIX =
      Pattern.compile("^(\\s{0,3}(?:#{1,6}\\s+|>\\s?|[-*+]\\s+(?:\\[[ xX]\\]\\s+)?|\\d{1,9}[.)]\\s+)*)");
  private static final Pattern RULE = Pattern.compile("^\\s{0,3}([-*_])(\\s*\\1){2,}\\s*$");
  private static final Pattern TABLE_DELIMITER = Pattern.compile("^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");
  /**
   * Inline markup inside a sentence: code spans, autolinks, HTML tags and bare URLs stay fixed;
   * images, links, strong and emphasis keep their markup around text that is translated.
   */
  private static final Pattern INLINE = Pattern.compile(
      "(?<code>(`+)[^`]*?\\2)"
          + "|(?<image>!\\[(?<alt>[^\\]]*)\\](?<src>\\([^)]*\\)))"
          + "|(?<link>\\[(?<label>[^\\]]+)\\](?<target>\\([^)]*\\)|\\[[^\\]]*\\]))"
          + "|(?<strong>\\*\\*(?<strongText>\\S(?:[^*]*?\\S)?)\\*\\*)"
          + "|(?<em>(?<![\\w*])\\*(?<emText>[^*\\s](?:[^*]*?[^*\\s])?)\\*(?![\\w*]))"
          + "|(?<fixed><[^>\\s][^>]*>|https?://\\S+)");
  /** Table cells are separate segments: the pipes between them are fixed. */
  private static final Pattern CELL_PIPE = Pattern.compile("(?<!\\\\)\\|");

  @Override
  public String id() {
    return "md";
  }

  @Override
  public List<String> extensions() {
    return List.of("md", "markdown");
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return TextDecoding.looksLikeText(head);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException {
    limits.checkFileSize(source);
    TextDecoding.Decoded decoded = TextDecoding.decode(Files.readAllBytes(source));
    List<String[]> lines = TextTemplate.lines(decoded.text());
    TextTemplate template = new TextTemplate(limits);
    String openFence = null;
    boolean frontMatter = !lines.isEmpty() && lines.get(0)[0].equals("---");
    boolean previousBlank = true;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i)[0];
      String ending = lines.get(i)[1];
      if (frontMatter) {
        template.beginLine(false).fixed(text).endLine(ending);
        frontMatter = i == 0 || !(text.equals("---") || text.equals("..."));
        continue;
      }
      Matcher fence = FENCE.matcher(text);
      if (openFence != null) {
        template.beginLine(false).fixed(text).endLine(ending);
        if (fence.find() && fence.group(1).charAt(0) == openFence.charAt(0) && fence.group(1).length() >= openFence.length()) {
          openFence = null;
        }
        continue;
      }
      if (fence.find()) {
        openFence = fence.group(1);
        template.beginLine(false).fixed(text).endLine(ending);
        continue;
      }
      boolean indentedCode = previousBlank && (text.startsWith("    ") || text.startsWith("\t")) && !text.isBlank();
      if (text.isBlank() || indentedCode || RULE.matcher(text).matches() || TABLE_DELIMITER.matcher(text).matches()) {
        template.beginLine(false).fixed(text).endLine(ending);
        previousBlank = text.isBlank() || (indentedCode && previousBlank);
        continue;
      }
      previousBlank = false;
      Matcher prefix = BLOCK_PREFIX.matcher(text);
      prefix.find();
      template.beginLine(true).fixed(prefix.group(1));
      addInline(template, text.substring(prefix.end()));
      template.endLine(ending);
    }
    return new TextExtraction(template, decoded);
  }

  private static void addInline(TextTemplate template, String content) {
    Matcher pipe = CELL_PIPE.matcher(content);
    int from = 0;
    while (pipe.find()) {
      template.inline(content.substring(from, pipe.start()), MarkdownFormat::tagged);
      template.fixed(pipe.group());
      from = pipe.end();
    }
    template.inline(content.substring(from), MarkdownFormat::tagged);
  }

  /** One sentence with its inline markup as tags. */
  static InlineTags.Builder tagged(String sentence) {
    InlineTags.Builder out = new InlineTags.Builder();
    Matcher m = INLINE.matcher(sentence);
    int from = 0;
    while (m.find()) {
      out.text(sentence.substring(from, m.start()));
      from = m.end();
      if (m.group("image") != null) {
        out.paired("![", m.group("alt"), "]" + m.group("src"));
      } else if (m.group("link") != null) {
        out.paired("[", m.group("label"), "]" + m.group("target"));
      } else if (m.group("strong") != null) {
        out.paired("**", m.group("strongText"), "**");
      } else if (m.group("em") != null) {
        out.paired("*", m.group("emText"), "*");
      } else {
        out.fixed(m.group());
      }
    }
    return out.text(sentence.substring(from));
  }
}
