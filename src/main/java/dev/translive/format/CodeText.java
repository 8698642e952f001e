package dev.translive.format;

import java.util.regex.Pattern;

/**
 * Recognises text set as code in documents (pandoc's "Source Code" paragraphs and "Verbatim Char"
 * runs, monospaced fonts), which stays untranslated like code blocks in Markdown and HTML.
 */
final class CodeText {
  private static final Pattern CODE_STYLE = Pattern.compile("(?i).*(code|verbatim|preformatted).*");
  private static final Pattern MONOSPACE =
      Pattern.compile("(?i).*(courier|mono|consolas|menlo|monaco|lucida console).*");

  private CodeText() {}

  /** A paragraph or character style id/name that means code. */
  static boolean isCodeStyle(String style) {
    return style != null && CODE_STYLE.matcher(style).matches();
  }

  static boolean isMonospaceFont(String font) {
    return font != null && MONOSPACE.matcher(font).matches();
  }
}
