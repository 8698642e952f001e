package dev.translive.format;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inline markup inside one sentence, carried through the engine as numbered tags so the sentence is
 * translated as one unit: {@code <x1/>} stands for a fixed piece (inline code, a URL, an HTML tag)
 * and {@code <g2>…</g2>} wraps text whose surrounding markup (a link, emphasis) is fixed. Engines
 * turn the tags into what they keep (Apertium blanks, DeepL/LibreTranslate tags, instructions to an
 * LLM); {@link Markup#restore} puts the markup back and repairs what an engine lost.
 */
public final class InlineTags {
  /** A tag in a translation, lenient about the spaces a model may add. */
  public static final Pattern TAG = Pattern.compile("<\\s*x\\s*(\\d+)\\s*/\\s*>|<\\s*(/?)\\s*g\\s*(\\d+)\\s*>");

  private InlineTags() {}

  public static boolean hasTags(String segment) {
    return segment.indexOf('<') >= 0 && TAG.matcher(segment).find();
  }

  /**
   * The segment as XML/HTML for engines with tag handling (DeepL, LibreTranslate): the text escaped,
   * the tags as elements.
   */
  public static String toMarkup(String segment) {
    StringBuilder out = new StringBuilder(segment.length() + 16);
    Matcher m = TAG.matcher(segment);
    int from = 0;
    while (m.find()) {
      escape(segment.substring(from, m.start()), out);
      out.append(m.group());
      from = m.end();
    }
    escape(segment.substring(from), out);
    return out.toString();
  }

  /** Undoes {@link #toMarkup}'s escaping (and the entities an engine may use) in a translation. */
  public static String fromMarkup(String markup) {
    return markup.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&apos;", "'").replace("&amp;", "&");
  }

  private static void escape(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
  }

  /** Whether {@code translation} has exactly the tags of {@code source}, each once (in any order). */
  public static boolean sameTags(String source, String translation) {
    return tags(source).equals(tags(translation));
  }

  private static List<String> tags(String text) {
    List<String> tags = new ArrayList<>();
    Matcher m = TAG.matcher(text);
    while (m.find()) {
      tags.add(m.group(1) != null ? "x" + m.group(1) : m.group(2) + "g" + m.group(3));
    }
    tags.sort(null);
    return tags;
  }

  /** The segment without its tags (what a reader would see of it, for engines that cannot keep tags). */
  public static String stripTags(String segment) {
    return TAG.matcher(segment).replaceAll("");
  }

  /** Builds one segment from text and fixed markup, remembering the markup for {@link Markup#restore}. */
  static final class Builder {
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, String> fixed = new LinkedHashMap<>();
    private final Map<Integer, String[]> pairs = new LinkedHashMap<>();
    private final java.util.Deque<Integer> openPairs = new java.util.ArrayDeque<>();
    private int next = 1;

    Builder text(String s) {
      text.append(s);
      return this;
    }

    Builder fixed(String markup) {
      int id = next++;
      fixed.put(id, markup);
      text.append("<x").append(id).append("/>");
      return this;
    }

    Builder paired(String open, String inner, String close) {
      int id = next++;
      pairs.put(id, new String[] {open, close});
      text.append("<g").append(id).append('>').append(inner).append("</g").append(id).append('>');
      return this;
    }

    /** Opens a pair whose markup is {@code open} … {@code close}; text and tags up to {@link #closePair} go inside. */
    Builder openPair(String open, String close) {
      int id = next++;
      pairs.put(id, new String[] {open, close});
      openPairs.push(id);
      text.append("<g").append(id).append('>');
      return this;
    }

    Builder closePair() {
      text.append("</g").append(openPairs.pop()).append('>');
      return this;
    }

    /** Removes the whitespace at both ends of the segment. */
    Builder strip() {
      String stripped = text.toString().strip();
      text.setLength(0);
      text.append(stripped);
      return this;
    }

    String segment() {
      return text.toString();
    }

    Markup markup() {
      return new Markup(Map.copyOf(fixed), Map.copyOf(pairs));
    }
  }

  /** The markup behind a segment's tags. */
  record Markup(Map<Integer, String> fixed, Map<Integer, String[]> pairs) {
    static final Markup NONE = new Markup(Map.of(), Map.of());

    /**
     * The translation with each tag replaced by its markup. An engine may lose or mangle tags: a
     * fixed piece it lost is appended at the end (code and URLs are never dropped), a pair it broke
     * keeps its text without the markup, and unknown tags are removed.
     */
    String restore(String translation) {
      return restore(translation, java.util.function.UnaryOperator.identity());
    }

    /** {@link #restore(String)} with {@code text} applied to the translated text between the markup (e.g. HTML escaping). */
    String restore(String translation, java.util.function.UnaryOperator<String> text) {
      if (fixed.isEmpty() && pairs.isEmpty()) {
        return text.apply(translation);
      }
      Set<Integer> closable = closable(translation);
      StringBuilder out = new StringBuilder();
      Set<Integer> used = new HashSet<>();
      Matcher m = TAG.matcher(translation);
      int from = 0;
      while (m.find()) {
        out.append(text.apply(translation.substring(from, m.start())));
        from = m.end();
        if (m.group(1) != null) {
          int id = Integer.parseInt(m.group(1));
          if (fixed.containsKey(id) && used.add(id)) {
            out.append(fixed.get(id));
          }
        } else {
          int id = Integer.parseInt(m.group(3));
          if (pairs.containsKey(id) && closable.contains(id)) {
            out.append(pairs.get(id)[m.group(2).isEmpty() ? 0 : 1]);
          }
        }
      }
      out.append(text.apply(translation.substring(from)));
      List<String> lost = new ArrayList<>();
      fixed.forEach((id, piece) -> {
        if (!used.contains(id)) {
          lost.add(piece);
        }
      });
      if (!lost.isEmpty()) {
        out.append(' ').append(String.join(" ", lost));
      }
      return out.toString();
    }

    /** Pair ids whose open and close tags alternate properly, so their markup can go back. */
    private static Set<Integer> closable(String translation) {
      Map<Integer, Integer> depth = new LinkedHashMap<>();
      Set<Integer> broken = new HashSet<>();
      Matcher m = TAG.matcher(translation);
      while (m.find()) {
        if (m.group(3) != null) {
          int id = Integer.parseInt(m.group(3));
          int d = depth.getOrDefault(id, 0) + (m.group(2).isEmpty() ? 1 : -1);
          if (d < 0 || d > 1) {
            broken.add(id);
          }
          depth.put(id, d);
        }
      }
      Set<Integer> ok = new HashSet<>();
      depth.forEach((id, d) -> {
        if (d == 0 && !broken.contains(id)) {
          ok.add(id);
        }
      });
      return ok;
    }
  }
}
