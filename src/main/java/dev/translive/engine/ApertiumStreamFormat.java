package dev.translive.engine;

import dev.translive.format.InlineTags;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Apertium's stream format for plain text: reserved characters escaped with a backslash, line
 * breaks inside superblanks, and a closing {@code []} without which the pipeline waits forever.
 *
 * <p>Inline tags ({@link InlineTags}) become what Apertium carries through: a fixed piece
 * {@code <x1/>} a superblank {@code [<x1/>]}, which stays between the words around it, and every
 * word inside {@code <g2>…</g2>} a wordbound blank {@code [[g2]]word[[/]]}, which moves with its
 * word when the translation reorders them.
 */
final class ApertiumStreamFormat {
  private static final String RESERVED = "\\[]^$/<>@{}*#+~";

  private ApertiumStreamFormat() {}

  static String encode(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    if (!InlineTags.hasTags(text)) {
      escape(text, out);
      return out.append("[]").toString();
    }
    List<String> open = new ArrayList<>();
    Matcher m = InlineTags.TAG.matcher(text);
    int from = 0;
    while (m.find()) {
      words(text.substring(from, m.start()), open, out);
      from = m.end();
      if (m.group(1) != null) {
        out.append("[<x").append(m.group(1)).append("/>]");
      } else if (m.group(2).isEmpty()) {
        open.add("g" + m.group(3));
      } else {
        open.remove("g" + m.group(3));
      }
    }
    words(text.substring(from), open, out);
    return out.append("[]").toString();
  }

  /** Text inside open pairs: each word in a wordbound blank naming the pairs, outermost first. */
  private static void words(String text, List<String> open, StringBuilder out) {
    if (open.isEmpty()) {
      escape(text, out);
      return;
    }
    String ids = String.join(",", open);
    int i = 0;
    while (i < text.length()) {
      int start = i;
      if (Character.isWhitespace(text.charAt(i))) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        escape(text.substring(start, i), out);
      } else {
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        out.append("[[").append(ids).append("]]");
        escape(text.substring(start, i), out);
        out.append("[[/]]");
      }
    }
  }

  private static void escape(String text, StringBuilder out) {
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
  }

  /** Undoes the escaping, unwraps superblanks and turns wordbound blanks back into tags. */
  static String decode(String stream) {
    StringBuilder out = new StringBuilder(stream.length());
    int i = 0;
    while (i < stream.length()) {
      char c = stream.charAt(i);
      if (c == '\\' && i + 1 < stream.length()) {
        out.append(stream.charAt(i + 1));
        i += 2;
      } else if (stream.startsWith("[[", i)) {
        int end = stream.indexOf("]]", i + 2);
        if (end < 0) {
          i += 2;
          continue;
        }
        String content = stream.substring(i + 2, end);
        i = end + 2;
        if (!content.equals("/")) {
          int close = stream.indexOf("[[/]]", i);
          String word = decode(close < 0 ? stream.substring(i) : stream.substring(i, close));
          i = close < 0 ? stream.length() : close + 5;
          String[] ids = content.split(",");
          for (String id : ids) {
            out.append('<').append(id).append('>');
          }
          out.append(word);
          for (int k = ids.length - 1; k >= 0; k--) {
            out.append("</").append(ids[k]).append('>');
          }
        }
      } else if (c != '[' && c != ']') {
        out.append(c);
        i++;
      } else {
        i++;
      }
    }
    // Neighbouring words of one pair become one span again: "<g2>a</g2> <g2>b</g2>" is "<g2>a b</g2>".
    return out.toString().replaceAll("</(g\\d+)>(\\s*)<\\1>", "$2").strip();
  }
}
