package dev.translive.engine;

/** Registers {@link DeepLEngine} with the ServiceLoader. */
public final class DeepLProvider extends SimpleProvider {
  public DeepLProvider() {
    super(DeepLEngine.ID, DeepLEngine::new);
  }
}
