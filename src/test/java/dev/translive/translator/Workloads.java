package dev.translive.translator;

import java.util.Random;

/**
 * Documents whose work is uneven in the ways that fool a segment count: a report with short
 * headings first and long paragraphs after, an even text, an html page of mixed elements. Every
 * segment is unique (no deduplication), and the text is seeded, so a run is repeatable.
 */
public final class Workloads {
  private static final String[] WORDS = ("queue translation progress estimate document paragraph server engine "
      + "language budget report figure section result market quarter customer product revenue growth team "
      + "review process update channel signal window moment reader writer network storage memory").split(" ");

  private Workloads() {}

  /** {@code headings} headings of 3-5 words, then {@code paragraphs} paragraphs of 45-75 words. */
  public static String report(int headings, int paragraphs, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= headings; i++) {
      text.append("Heading ").append(i).append(' ').append(words(random, 2 + random.nextInt(3))).append("\n\n");
    }
    for (int i = 1; i <= paragraphs; i++) {
      text.append("Paragraph ").append(i).append(' ').append(words(random, 45 + random.nextInt(31))).append(".\n\n");
    }
    return text.toString();
  }

  /** {@code paragraphs} paragraphs of exactly {@code words} words. */
  public static String even(int paragraphs, int words, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= paragraphs; i++) {
      text.append("Line ").append(i).append(' ').append(words(random, words - 2)).append(".\n\n");
    }
    return text.toString();
  }

  /** A page of {@code sections} sections: a heading, a short note and a long paragraph each. */
  public static String html(int sections, long seed) {
    Random random = new Random(seed);
    StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html><head><title>Quarterly page</title></head><body>\n");
    for (int i = 1; i <= sections; i++) {
      page.append("<h2>Section ").append(i).append(' ').append(words(random, 3)).append("</h2>\n")
          .append("<p>Note ").append(i).append(' ').append(words(random, 8 + random.nextInt(6))).append(".</p>\n")
          .append("<p>Body ").append(i).append(' ').append(words(random, 50 + random.nextInt(30))).append(".</p>\n");
    }
    return page.append("</body></html>\n").toString();
  }

  private static String words(Random random, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return out.toString();
  }
}
