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
  /** Inline pieces that must survive untouched: code spans, link and image targets, autolinks, HTML tags, URLs, table pipes. */
  private static final Pattern INLINE_FIXED = Pattern.compile(
      "(`+)[^`]*?\\1|\\]\\([^)]*\\)|\\]\\[[^\\]]*\\]|!\\[|<[^>\\s][^>]*>|https?://\\S+|\\|");

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
    Matcher fixed = INLINE_FIXED.matcher(content);
    int from = 0;
    while (fixed.find()) {
      template.translatable(content.substring(from, fixed.start()));
      template.fixed(fixed.group());
      from = fixed.end();
    }
    template.translatable(content.substring(from));
  }
}
