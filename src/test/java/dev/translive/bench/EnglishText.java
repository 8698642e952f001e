package dev.translive.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic, varied English prose for the translation benchmarks: distinct sentences built
 * from a small grammar, so deduplication and translation memory save nothing and every run
 * translates the same text.
 */
final class EnglishText {
  private static final List<String> SUBJECTS = List.of("The engineer", "A small team", "Our neighbour", "The old library",
      "Every student", "The city council", "My sister", "The new manager", "A tired traveller", "The committee",
      "The young doctor", "Most farmers", "The museum guide", "A local baker", "The train driver", "Her colleague");
  private static final List<String> VERBS = List.of("wrote", "found", "repaired", "discussed", "described", "prepared",
      "opened", "visited", "painted", "measured", "cleaned", "explained", "ordered", "carried", "studied", "sold");
  private static final List<String> ADJECTIVES = List.of("long", "heavy", "bright", "strange", "useful", "expensive",
      "quiet", "broken", "beautiful", "simple", "difficult", "ancient", "green", "famous", "empty", "warm");
  private static final List<String> OBJECTS = List.of("report", "bridge", "garden", "letter", "window", "machine",
      "house", "market", "road", "picture", "book", "kitchen", "river", "school", "table", "village");
  private static final List<String> PLACES = List.of("in the morning", "after the meeting", "near the station",
      "before the storm", "during the summer", "at the end of the week", "in the north of the country",
      "without any help", "with great care", "for the first time", "behind the church", "next to the harbour");
  private static final List<String> CLAUSES = List.of("because the weather was cold", "although nobody asked",
      "while the children were sleeping", "so that everyone could see it", "when the shops were closed",
      "as the teacher had suggested", "since the old one had failed", "even though it was raining",
      "before the visitors arrived", "after the long winter");

  private EnglishText() {}

  /** At least {@code words} words in distinct sentences, one sentence per line. */
  static String document(int words, long seed) {
    Random random = new Random(seed);
    Set<String> sentences = new LinkedHashSet<>();
    int count = 0;
    while (count < words) {
      String sentence = pick(random, SUBJECTS) + " " + pick(random, VERBS) + " the " + pick(random, ADJECTIVES) + " "
          + pick(random, OBJECTS) + " " + pick(random, PLACES)
          + (random.nextBoolean() ? " " + pick(random, CLAUSES) : "") + ".";
      if (sentences.add(sentence)) {
        count += sentence.split(" ").length;
      }
    }
    return String.join("\n", sentences) + "\n";
  }

  static int wordCount(String text) {
    return text.isBlank() ? 0 : text.trim().split("\\s+").length;
  }

  static int lineCount(String text) {
    return (int) text.lines().filter(l -> !l.isBlank()).count();
  }

  private static String pick(Random random, List<String> words) {
    return words.get(random.nextInt(words.size()));
  }
}
