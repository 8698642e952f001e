package dev.translive.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void contractVariablesOverrideTheFileTyped() {
    JsonObject config = ConfigLoader.defaults();
    ConfigLoader.applyOverrides(config, Map.of(
        "TRANSLIVE_HTTP_PORT", "9999",
        "TRANSLIVE_HTTP_HOST", "0.0.0.0",
        "TRANSLIVE_DATA_DIR", "/srv/translive",
        "TRANSLIVE_ENGINE", "demo",
        "TRANSLIVE_DEMO_DELAY_MS", "7",
        "TRANSLIVE_QUEUE_CONCURRENCY", "3",
        "TRANSLIVE_BRIDGE_MAX_CONNECTIONS", "5000",
        "TRANSLIVE_BRIDGE_MAX_MESSAGES_PER_SECOND", "4",
        "TRANSLIVE_OPENAI_BASE_URL", "http://127.0.0.1:1234/v1",
        "TRANSLIVE_OPENAI_API_KEY", "sk-secret"));
    AppConfig app = new AppConfig(config);
    assertEquals(9999, app.http().port());
    assertEquals("0.0.0.0", app.http().host());
    assertEquals("/srv/translive", app.dataDir().toString());
    assertEquals("demo", app.defaultEngine());
    assertEquals(7L, app.engineSettings("demo").getLong("delayMs"));
    assertEquals(3, app.queue().concurrency());
    assertEquals(5000, app.bridge().getMaxConnections());
    assertEquals(4, app.bridge().getMaxMessagesPerSecond());
    assertEquals("http://127.0.0.1:1234/v1", app.engineSettings("openai").getString("baseUrl"));
    assertEquals("sk-secret", app.engineSettings("openai").getString("apiKey"));
  }

  @Test
  void everyLeafKeyHasAGenericVariable() {
    JsonObject config = ConfigLoader.defaults();
    ConfigLoader.applyOverrides(config, Map.of(
        "TRANSLIVE_QUEUE_SHOW_FILENAMES", "false",
        "TRANSLIVE_UPLOAD_MAX_BYTES", "1024",
        "TRANSLIVE_HTTP_ALLOWED_ORIGINS", "https://a.example, https://b.example",
        "TRANSLIVE_ENGINES_APERTIUM_BATCH_SIZE", "10"));
    AppConfig app = new AppConfig(config);
    assertFalse(app.queue().showFilenames());
    assertEquals(1024, app.upload().maxBytes());
    assertEquals(List.of("https://a.example", "https://b.example"), app.http().allowedOrigins());
    assertEquals(10, app.engineSettings("apertium").getInteger("batchSize"));
  }

  @Test
  void variableNamesFollowTheKeyPath() {
    assertEquals("BRIDGE_MAX_MESSAGES_PER_SECOND", ConfigLoader.envName("bridge.maxMessagesPerSecond"));
    assertEquals("ENGINES_APERTIUM_APY_URL", ConfigLoader.envName("engines.apertium-apy.url"));
  }

  @Test
  void variablesForKeysMissingFromTheDefaultsAreTypedFromTheirText() {
    JsonObject config = ConfigLoader.defaults();
    ConfigLoader.applyOverrides(config, Map.of(
        "TRANSLIVE_ENGINES_DEMO_BATCH_SIZE", "3",
        "TRANSLIVE_ENGINES_DEMO_ADVERTISE_PACE", "false",
        "TRANSLIVE_DEEPL_API_KEY", "12345",
        "TRANSLIVE_OPENAI_MODEL", "7"));
    AppConfig app = new AppConfig(config);
    assertEquals(3, app.engineSettings("demo").getInteger("batchSize"));
    assertEquals(false, app.engineSettings("demo").getBoolean("advertisePace"));
    assertEquals("12345", app.engineSettings("deepl").getString("apiKey"), "keys stay text");
    assertEquals("7", app.engineSettings("openai").getString("model"));
  }
}
