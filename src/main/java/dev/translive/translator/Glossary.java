package dev.translive.translator;

import dev.translive.bus.ErrorCode;
import dev.translive.format.InlineTags;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Source term to target term, applied by every engine the same way: each occurrence of a source
 * term (whole words, case-sensitive, longest term first) is replaced by an inline tag the engines
 * already carry ({@code <x9001/>}), and the target term is put in its place in the translation. A tag
 * an engine lost is answered by the target term appended, so the term is never missing.
 */
public final class Glossary {
  /** Bounds of an uploaded glossary. */
  public static final int MAX_BYTES = 1 << 20;
  public static final int MAX_ENTRIES = 5000;
  public static final int MAX_TERM_CHARS = 500;
  /** Tags numbered from here stand for glossary terms; the formats' own tags are numbered from 1. */
  static final int FIRST_TAG = 9001;

  public static final Glossary EMPTY = new Glossary(new LinkedHashMap<>());

  private final Map<String, String> entries;
  private final List<String> longestFirst;

  private Glossary(Map<String, String> entries) {
    this.entries = entries;
    this.longestFirst = entries.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public static Glossary of(Map<String, String> entries) {
    Map<String, String> copy = new LinkedHashMap<>();
    entries.forEach((s, t) -> {
      if (s != null && !s.isBlank() && t != null) {
        copy.put(s.strip(), t.strip());
      }
    });
    return copy.isEmpty() ? EMPTY : new Glossary(copy);
  }

  /** A config value: an object of source to target terms. */
  public static Glossary of(JsonObject json) {
    Map<String, String> map = new LinkedHashMap<>();
    json.forEach(e -> map.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
    return of(map);
  }

  /**
   * A CSV or TSV file (UTF-8, one "source,target" or "source&lt;TAB&gt;target" a line; lines starting
   * with # and blank lines skipped; a first line "source,target" is a header).
   * @throws dev.translive.bus.TransliveException 400 naming what is wrong
   */
  public static Glossary parse(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw ErrorCode.BAD_REQUEST.error("the glossary is " + bytes.length + " bytes; the limit is " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ErrorCode.BAD_REQUEST.error("the glossary is not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Map<String, String> map = new LinkedHashMap<>();
    String[] lines = text.split("\r\n|\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      List<String> fields = line.indexOf('\t') >= 0 ? List.of(line.split("\t", -1)) : csv(line, i + 1);
      if (fields.size() < 2 || fields.get(0).isBlank() || fields.get(1).isBlank()) {
        throw ErrorCode.BAD_REQUEST.error("glossary line " + (i + 1) + ": expected 'source term,target term' (CSV) or "
            + "'source term<TAB>target term' (TSV)");
      }
      String source = fields.get(0).strip();
      String target = fields.get(1).strip();
      if (map.isEmpty() && source.equalsIgnoreCase("source") && target.equalsIgnoreCase("target")) {
        continue;
      }
      if (source.length() > MAX_TERM_CHARS || target.length() > MAX_TERM_CHARS) {
        throw ErrorCode.BAD_REQUEST.error("glossary line " + (i + 1) + ": a term is longer than " + MAX_TERM_CHARS + " characters");
      }
      map.put(source, target);
      if (map.size() > MAX_ENTRIES) {
        throw ErrorCode.BAD_REQUEST.error("the glossary has more than " + MAX_ENTRIES + " entries");
      }
    }
    if (map.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.error("the glossary has no entries");
    }
    return of(map);
  }

  private static List<String> csv(String line, int number) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.toString().isBlank()) {
        field.setLength(0);
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw ErrorCode.BAD_REQUEST.error("glossary line " + number + ": a quote is not closed");
    }
    fields.add(field.toString());
    return fields;
  }

  /** The entries as TSV, one a line (how a task carries its glossary); "" when empty. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    entries.forEach((s, t) -> out.append(s.replace('\t', ' ').replace('\n', ' ')).append('\t')
        .append(t.replace('\t', ' ').replace('\n', ' ')).append('\n'));
    return out.toString();
  }

  /** The glossary {@link #toText} wrote; empty for null or "". */
  public static Glossary fromText(String text) {
    if (text == null || text.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        map.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return of(map);
  }

  /** This glossary with {@code other}'s entries added, {@code other} winning where both name a term. */
  public Glossary with(Glossary other) {
    if (other.isEmpty()) {
      return this;
    }
    Map<String, String> map = new LinkedHashMap<>(entries);
    map.putAll(other.entries);
    return of(map);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  public Map<String, String> entries() {
    return java.util.Collections.unmodifiableMap(entries);
  }

  /** A hash of the entries (SHA-256, hex, first 16 characters); "" when empty. Part of the memory key. */
  public String hash() {
    if (isEmpty()) {
      return "";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(toText().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The entries whose source term occurs (as whole words) in any of {@code segments}. */
  public Map<String, String> occurringIn(List<String> segments) {
    Map<String, String> found = new LinkedHashMap<>();
    for (String term : longestFirst) {
      for (String segment : segments) {
        if (occurs(segment, term)) {
          found.put(term, entries.get(term));
          break;
        }
      }
    }
    return found;
  }

  /**
   * Only the entries whose source term occurs in {@code segments} (a document's): what a task keeps
   * of a glossary, so a large glossary is not stored with every task and an entry the document does
   * not use does not change its translation memory key.
   */
  public Glossary restrictTo(List<String> segments) {
    if (isEmpty()) {
      return this;
    }
    java.util.Set<String> words = new java.util.HashSet<>();
    StringBuilder all = new StringBuilder();
    for (String segment : segments) {
      all.append(segment).append('\n');
      for (String word : WORDS.split(segment)) {
        words.add(word.toLowerCase(java.util.Locale.ROOT));
      }
    }
    String text = all.toString();
    Map<String, String> kept = new LinkedHashMap<>();
    entries.forEach((term, target) -> {
      for (String word : WORDS.split(term)) {
        if (!word.isEmpty() && !words.contains(word.toLowerCase(java.util.Locale.ROOT))) {
          return;
        }
      }
      if (occurs(text, term)) {
        kept.put(term, target);
      }
    });
    return of(kept);
  }

  private static final java.util.regex.Pattern WORDS = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}_]+");

  /** Segments with their terms replaced by tags, and how to put the target terms in a translation. */
  public record Protected(List<String> segments, List<List<String>> targets) {
    /** The translations with each tag replaced by its target term (appended where the engine lost the tag). */
    public List<String> restore(List<String> translations) {
      List<String> out = new ArrayList<>(translations.size());
      for (int i = 0; i < translations.size(); i++) {
        List<String> terms = i < targets.size() ? targets.get(i) : List.of();
        String translation = translations.get(i);
        if (terms.isEmpty() || translation == null) {
          out.add(translation);
          continue;
        }
        boolean[] placed = new boolean[terms.size()];
        Matcher m = InlineTags.TAG.matcher(translation);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
          int n = m.group(1) == null ? -1 : Integer.parseInt(m.group(1)) - FIRST_TAG;
          if (n >= 0 && n < terms.size()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(terms.get(n)));
            placed[n] = true;
          } else {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
          }
        }
        m.appendTail(sb);
        for (int n = 0; n < terms.size(); n++) {
          if (!placed[n]) {
            sb.append(sb.length() == 0 || Character.isWhitespace(sb.charAt(sb.length() - 1)) ? "" : " ").append(terms.get(n));
          }
        }
        out.add(sb.toString());
      }
      return out;
    }
  }

  /** Replaces every occurrence of a source term in {@code segments} by a tag {@code <x9001/>}, {@code <x9002/>}, ... */
  public Protected protect(List<String> segments) {
    List<String> sent = new ArrayList<>(segments.size());
    List<List<String>> targets = new ArrayList<>(segments.size());
    for (String segment : segments) {
      List<String> terms = new ArrayList<>();
      sent.add(isEmpty() ? segment : protect(segment, terms));
      targets.add(terms);
    }
    return new Protected(sent, targets);
  }

  private String protect(String segment, List<String> terms) {
    // Occurrences found longest term first; a shorter term never matches inside a longer one's place.
    List<int[]> spans = new ArrayList<>();
    List<String> spanTargets = new ArrayList<>();
    for (String entry : longestFirst) {
     for (String[] form : forms(entry)) {
      String term = form[0];
      int from = 0;
      int at;
      while ((at = find(segment, term, from)) >= 0) {
        int end = at + term.length();
        boolean overlaps = false;
        for (int[] s : spans) {
          if (at < s[1] && end > s[0]) {
            overlaps = true;
            break;
          }
        }
        if (!overlaps) {
          spans.add(new int[] {at, end});
          spanTargets.add(form[1]);
        }
        from = end;
      }
     }
    }
    if (spans.isEmpty()) {
      return segment;
    }
    Integer[] order = new Integer[spans.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> spans.get(i)[0]));
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int i : order) {
      out.append(segment, from, spans.get(i)[0]).append("<x").append(FIRST_TAG + terms.size()).append("/>");
      terms.add(spanTargets.get(i));
      from = spans.get(i)[1];
    }
    return out.append(segment.substring(from)).toString();
  }

  /**
   * The spellings of an entry that are matched: the term as given and, for a term starting with a
   * lower-case letter, the same capitalised (a sentence's first word), whose target is capitalised too.
   */
  private List<String[]> forms(String term) {
    String target = entries.get(term);
    List<String[]> forms = new ArrayList<>(2);
    forms.add(new String[] {term, target});
    if (Character.isLowerCase(term.charAt(0))) {
      forms.add(new String[] {capitalised(term), capitalised(target)});
    }
    return forms;
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : s.substring(0, s.offsetByCodePoints(0, 1)).toUpperCase(java.util.Locale.ROOT)
        + s.substring(s.offsetByCodePoints(0, 1));
  }

  private boolean occurs(String text, String term) {
    for (String[] form : forms(term)) {
      if (find(text, form[0], 0) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The next whole-word occurrence of {@code term} in {@code text} from {@code from}, or -1. */
  private static int find(String text, String term, int from) {
    int at = text.indexOf(term, from);
    while (at >= 0) {
      int end = at + term.length();
      boolean startOk = at == 0 || !wordChar(text.charAt(at - 1)) || !wordChar(term.charAt(0));
      boolean endOk = end == text.length() || !wordChar(text.charAt(end)) || !wordChar(term.charAt(term.length() - 1));
      if (startOk && endOk) {
        return at;
      }
      at = text.indexOf(term, at + 1);
    }
    return -1;
  }

  private static boolean wordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
