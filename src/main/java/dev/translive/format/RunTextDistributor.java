package dev.translive.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a translated paragraph over the paragraph's original runs in proportion to each run's
 * share of the original text, cutting at word boundaries, so per-run formatting (bold, italic,
 * hyperlinks) stays on roughly the right words.
 */
final class RunTextDistributor {
  private RunTextDistributor() {}

  /**
   * @param originals the text of each run, in order; at least one is non-empty
   * @return one piece per run; concatenated they equal {@code translation}
   */
  static List<String> distribute(String translation, List<String> originals) {
    int runs = originals.size();
    List<String> pieces = new ArrayList<>(runs);
    if (runs == 1) {
      pieces.add(translation);
      return pieces;
    }
    long total = 0;
    for (String original : originals) {
      total += original.length();
    }
    int length = translation.length();
    boolean hasSpaces = translation.chars().anyMatch(Character::isWhitespace);
    int previousCut = 0;
    long cumulative = 0;
    for (int i = 0; i < runs - 1; i++) {
      cumulative += originals.get(i).length();
      int ideal = total == 0 ? previousCut : (int) Math.round((double) length * cumulative / total);
      ideal = Math.max(previousCut, Math.min(length, ideal));
      // Scripts without spaces (CJK) can be cut anywhere; elsewhere avoid splitting words.
      int cut = hasSpaces ? nearestBoundary(translation, ideal, previousCut) : ideal;
      boolean originalEndsWithSpace = endsWithSpace(originals.get(i));
      while (originalEndsWithSpace && cut < length && Character.isWhitespace(translation.charAt(cut))) {
        cut++;
      }
      pieces.add(translation.substring(previousCut, cut));
      previousCut = cut;
    }
    pieces.add(translation.substring(previousCut));
    return pieces;
  }

  /** The runs' text with each fixed run (inline code) replaced by a numbered tag: "Use <x1/> to choose". */
  static String tagged(List<String> originals, List<Boolean> fixed) {
    StringBuilder text = new StringBuilder();
    int n = 0;
    for (int i = 0; i < originals.size(); i++) {
      text.append(fixed.get(i) ? "<x" + ++n + "/>" : originals.get(i));
    }
    return text.toString();
  }

  /**
   * Pieces per run for a translation of {@link #tagged}: fixed runs keep their text, the text between
   * two tags goes to the runs between those fixed runs. When the engine returned the tags out of
   * order or lost one, the whole text is spread over the other runs instead.
   */
  static List<String> distributeAroundFixed(String translation, List<String> originals, List<Boolean> fixed) {
    int k = (int) fixed.stream().filter(f -> f).count();
    if (k == 0) {
      return distribute(translation, originals);
    }
    List<String> chunks = new ArrayList<>();
    java.util.regex.Matcher m = InlineTags.TAG.matcher(translation);
    int from = 0;
    boolean inOrder = true;
    while (m.find()) {
      if (m.group(1) == null || Integer.parseInt(m.group(1)) != chunks.size() + 1) {
        inOrder = false;
        break;
      }
      chunks.add(translation.substring(from, m.start()));
      from = m.end();
    }
    chunks.add(translation.substring(from));
    List<List<Integer>> groups = new ArrayList<>();
    groups.add(new ArrayList<>());
    for (int i = 0; i < originals.size(); i++) {
      if (fixed.get(i)) {
        groups.add(new ArrayList<>());
      } else {
        groups.get(groups.size() - 1).add(i);
      }
    }
    if (!inOrder || chunks.size() != k + 1) {
      chunks = List.of(InlineTags.stripTags(translation));
      List<Integer> all = new ArrayList<>();
      groups.forEach(all::addAll);
      groups = List.of(all);
    }
    String[] pieces = new String[originals.size()];
    for (int i = 0; i < originals.size(); i++) {
      pieces[i] = fixed.get(i) ? originals.get(i) : "";
    }
    String pending = "";
    int lastRun = -1;
    for (int g = 0; g < groups.size(); g++) {
      String chunk = pending + chunks.get(g);
      List<Integer> group = groups.get(g);
      if (group.isEmpty()) {
        pending = chunk; // no run of its own between two code spans: it goes with the next text
        continue;
      }
      pending = "";
      List<String> piecesOfGroup = distribute(chunk, group.stream().map(originals::get).toList());
      for (int j = 0; j < group.size(); j++) {
        pieces[group.get(j)] = piecesOfGroup.get(j);
      }
      lastRun = group.get(group.size() - 1);
    }
    if (!pending.isEmpty() && lastRun >= 0) {
      pieces[lastRun] += pending;
    }
    return List.of(pieces);
  }

  private static int nearestBoundary(String text, int ideal, int lowest) {
    for (int distance = 0; distance <= text.length(); distance++) {
      int after = ideal + distance;
      if (after <= text.length() && isBoundary(text, after)) {
        return after;
      }
      int before = ideal - distance;
      if (before >= lowest && isBoundary(text, before)) {
        return before;
      }
    }
    return ideal;
  }

  private static boolean isBoundary(String text, int position) {
    return position == 0
        || position == text.length()
        || Character.isWhitespace(text.charAt(position - 1))
        || Character.isWhitespace(text.charAt(position));
  }

  private static boolean endsWithSpace(String text) {
    return !text.isEmpty() && Character.isWhitespace(text.charAt(text.length() - 1));
  }
}
