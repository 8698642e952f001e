package dev.translive.format;

/** Rules shared by all formats for what counts as translatable text. */
final class SegmentText {
  private SegmentText() {}

  /** True when {@code text} has nothing to translate: empty, or only (Unicode, incl. no-break) spaces. */
  static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != '\u200B' && c != '\uFEFF') {
        return false;
      }
    }
    return true;
  }

  /** Fails loudly when a caller pairs translations with the wrong document. */
  static void checkCount(java.util.List<String> segments, java.util.List<String> translations) {
    if (translations.size() != segments.size()) {
      throw new IllegalArgumentException(
          "Expected " + segments.size() + " translations, got " + translations.size());
    }
  }
}
