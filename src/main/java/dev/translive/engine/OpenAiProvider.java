package dev.translive.engine;

/** Registers {@link OpenAiEngine} with the ServiceLoader. */
public final class OpenAiProvider extends SimpleProvider {
  public OpenAiProvider() {
    super(OpenAiEngine.ID, OpenAiEngine::new);
  }
}
