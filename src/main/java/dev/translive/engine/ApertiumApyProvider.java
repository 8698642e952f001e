package dev.translive.engine;

/** Registers {@link ApertiumApyEngine} with the ServiceLoader. */
public final class ApertiumApyProvider extends SimpleProvider {
  public ApertiumApyProvider() {
    super(ApertiumApyEngine.ID, ApertiumApyEngine::new);
  }
}
