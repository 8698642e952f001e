package dev.translive.engine;

/** Registers {@link LibreTranslateEngine} with the ServiceLoader. */
public final class LibreTranslateProvider extends SimpleProvider {
  public LibreTranslateProvider() {
    super(LibreTranslateEngine.ID, LibreTranslateEngine::new);
  }
}
