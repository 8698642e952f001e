package dev.translive.translator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Identical segments (after whitespace normalisation) go to the engine once and fan back out. */
public final class Deduplication {
  private final List<String> unique;
  private final int[] uniqueIndexOfSegment;
  private final int[] occurrences;

  private Deduplication(List<String> unique, int[] uniqueIndexOfSegment, int[] occurrences) {
    this.unique = unique;
    this.uniqueIndexOfSegment = uniqueIndexOfSegment;
    this.occurrences = occurrences;
  }

  public static Deduplication of(List<String> segments) {
    Map<String, Integer> index = new HashMap<>();
    List<String> unique = new ArrayList<>();
    int[] map = new int[segments.size()];
    for (int i = 0; i < segments.size(); i++) {
      String key = normalise(segments.get(i));
      Integer at = index.get(key);
      if (at == null) {
        at = unique.size();
        index.put(key, at);
        unique.add(key);
      }
      map[i] = at;
    }
    int[] counts = new int[unique.size()];
    for (int u : map) {
      counts[u]++;
    }
    return new Deduplication(unique, map, counts);
  }

  static String normalise(String segment) {
    return segment.strip().replaceAll("[ \\t\\u00A0]+", " ");
  }

  /** The characters an engine translates: those of the unique segments. */
  public long characters() {
    return characters(unique);
  }

  public static long characters(List<String> segments) {
    long sum = 0;
    for (String s : segments) {
      sum += s.length();
    }
    return sum;
  }

  public List<String> unique() {
    return unique;
  }

  int occurrences(int uniqueIndex) {
    return occurrences[uniqueIndex];
  }

  /** The translation of every original segment, in document order. */
  List<String> expand(List<String> translatedUnique) {
    List<String> all = new ArrayList<>(uniqueIndexOfSegment.length);
    for (int u : uniqueIndexOfSegment) {
      all.add(translatedUnique.get(u));
    }
    return all;
  }
}
