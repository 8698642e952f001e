package dev.translive.engine;

import java.util.List;

/** What every engine reports the same way: its id, its batch size and, unless a server lists them, its pairs. */
public abstract class AbstractEngine implements TranslationEngine {
  private final String id;
  private final int batchSize;
  private final List<LanguagePair> pairs;

  protected AbstractEngine(String id, int batchSize, List<LanguagePair> pairs) {
    this.id = id;
    this.batchSize = batchSize;
    this.pairs = pairs;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public List<LanguagePair> languagePairs() {
    return pairs;
  }
}
