package dev.translive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EngineProvidersTest {
  @Test
  void httpEnginesAreDiscoveredByServiceLoader() {
    Set<String> ids = ServiceLoader.load(EngineProvider.class).stream()
        .map(provider -> provider.get().id()).collect(Collectors.toSet());
    assertEquals(true, ids.containsAll(Set.of("apertium-apy", "openai", "deepl", "libretranslate")), ids.toString());
  }
}
