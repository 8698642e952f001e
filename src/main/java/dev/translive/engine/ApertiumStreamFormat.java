package dev.translive.engine;

/**
 * Apertium's stream format for plain text: reserved characters escaped with a backslash, line
 * breaks inside superblanks, and a closing {@code []} without which the pipeline waits forever.
 */
final class ApertiumStreamFormat {
  private static final String RESERVED = "\\[]^$/<>@{}*#+~";

  private ApertiumStreamFormat() {}

  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append('[').append(c).append(']');
      } else if (c == '\0') {
        out.append(' ');
      } else {
        if (RESERVED.indexOf(c) >= 0) {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out.append("[]").toString();
  }

  /** Undoes the escaping and unwraps superblanks. */
  static String decode(String stream) {
    StringBuilder out = new StringBuilder(stream.length());
    for (int i = 0; i < stream.length(); i++) {
      char c = stream.charAt(i);
      if (c == '\\' && i + 1 < stream.length()) {
        out.append(stream.charAt(++i));
      } else if (c != '[' && c != ']') {
        out.append(c);
      }
    }
    return out.toString().strip();
  }
}
