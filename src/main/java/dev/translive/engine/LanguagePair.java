package dev.translive.engine;

/** A source and target language as ISO 639-1 codes ("en", "es"). */
public record LanguagePair(String source, String target) {
  @Override
  public String toString() {
    return source + "-" + target;
  }
}
