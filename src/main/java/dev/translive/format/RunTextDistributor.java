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
