package dev.translive.engine;

import java.util.ArrayList;
import java.util.List;

/** Language lists for engines that cover "most languages" and have no cheap pair listing. */
public final class CommonLanguages {
  /** Widely supported languages, as ISO 639-1 codes. */
  public static final List<String> CODES = List.of("en", "es", "fr", "de", "it", "pt", "zh", "ja", "ko", "ru");

  private CommonLanguages() {}

  /** Every ordered pair of distinct languages from {@code codes}. */
  public static List<LanguagePair> allPairs(List<String> codes) {
    List<LanguagePair> pairs = new ArrayList<>();
    for (String source : codes) {
      for (String target : codes) {
        if (!source.equals(target)) {
          pairs.add(new LanguagePair(source, target));
        }
      }
    }
    return List.copyOf(pairs);
  }
}
