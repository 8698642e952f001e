package dev.translive.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration once at start-up: the defaults embedded in the jar, then the config file
 * (TRANSLIVE_CONFIG, default conf/config.json), then system properties and environment variables,
 * the environment winning.
 *
 * <p>Every leaf key has a variable: TRANSLIVE_ plus its path in upper snake case
 * ({@code queue.maxQueued} is TRANSLIVE_QUEUE_MAX_QUEUED). CONTRACT.md fixes a few shorter names,
 * kept as aliases. API keys are accepted from the environment only.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  public static final String DEFAULTS_RESOURCE = "/conf/config.json";

  /** Contract names that are not the generic path-derived ones. */
  private static final Map<String, String> ALIASES = Map.of(
      "TRANSLIVE_ENGINE", "engine",
      "TRANSLIVE_DEMO_DELAY_MS", "engines.demo.delayMs",
      "TRANSLIVE_OPENAI_BASE_URL", "engines.openai.baseUrl",
      "TRANSLIVE_OPENAI_API_KEY", "engines.openai.apiKey",
      "TRANSLIVE_OPENAI_MODEL", "engines.openai.model",
      "TRANSLIVE_APY_URL", "engines.apertium-apy.url",
      "TRANSLIVE_DEEPL_API_KEY", "engines.deepl.apiKey",
      "TRANSLIVE_LIBRETRANSLATE_URL", "engines.libretranslate.url",
      "TRANSLIVE_LIBRETRANSLATE_API_KEY", "engines.libretranslate.apiKey");

  /** Keys whose values stay text even when they look like numbers (a numeric API key is still a key). */
  private static final java.util.regex.Pattern TEXT_KEYS =
      java.util.regex.Pattern.compile("(?i).*(key|url|model|token|host|name|password|path|dir|members)$");

  private ConfigLoader() {}

  public static Future<AppConfig> load(Vertx vertx) {
    Map<String, String> env = System.getenv();
    String file = env.getOrDefault("TRANSLIVE_CONFIG", System.getProperty("translive.config", "conf/config.json"));
    ConfigStoreOptions fileStore = new ConfigStoreOptions()
        .setType("file").setFormat("json").setOptional(true)
        .setConfig(new JsonObject().put("path", file));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(0).setIncludeDefaultStores(false).addStore(fileStore));
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(fromFile -> {
          JsonObject merged = defaults().mergeIn(stripSecrets(fromFile), true);
          Map<String, String> overrides = new java.util.HashMap<>();
          System.getProperties().forEach((k, v) -> overrides.put(k.toString(), v.toString()));
          overrides.putAll(env);
          applyOverrides(merged, overrides);
          LOG.info("Configuration read from defaults, {} and environment", file);
          return new AppConfig(merged);
        });
  }

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("embedded defaults " + DEFAULTS_RESOURCE + " missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded defaults", e);
    }
  }

  /** Applies TRANSLIVE_* variables onto {@code config}, typed after the value they replace. */
  public static void applyOverrides(JsonObject config, Map<String, String> variables) {
    ALIASES.forEach((variable, path) -> {
      String value = variables.get(variable);
      if (value != null) {
        put(config, path, value);
      }
    });
    // Generic names win over aliases: they are the more specific spelling.
    applyGeneric(config, "", config, variables);
    // A glossary per language pair: TRANSLIVE_GLOSSARIES_EN_ES=/path/to/en-es.tsv (the pair need not be in the file).
    variables.forEach((name, value) -> {
      if (name.matches("TRANSLIVE_GLOSSARIES_[A-Z]{2,3}_[A-Z]{2,3}")) {
        String pair = name.substring("TRANSLIVE_GLOSSARIES_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        JsonObject glossaries = config.getJsonObject("glossaries");
        if (glossaries == null) {
          glossaries = new JsonObject();
          config.put("glossaries", glossaries);
        }
        glossaries.put(pair, value);
      }
    });
    // Engine sections may not exist in the file; their keys still have variables.
    JsonObject engines = config.getJsonObject("engines", new JsonObject());
    variables.forEach((name, value) -> {
      if (name.startsWith("TRANSLIVE_ENGINES_")) {
        for (String engineId : engines.fieldNames()) {
          String prefix = "TRANSLIVE_ENGINES_" + envName(engineId) + "_";
          if (name.startsWith(prefix)) {
            put(config, "engines." + engineId + "." + camel(name.substring(prefix.length())), value);
          }
        }
      }
    });
  }

  private static void applyGeneric(JsonObject root, String prefix, JsonObject node, Map<String, String> variables) {
    for (String key : node.fieldNames().toArray(new String[0])) {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      Object value = node.getValue(key);
      if (value instanceof JsonObject child) {
        applyGeneric(root, path, child, variables);
      } else {
        String variable = "TRANSLIVE_" + envName(path);
        if (variables.containsKey(variable)) {
          put(root, path, variables.get(variable));
        }
      }
    }
  }

  /** "queue.maxQueued" becomes "QUEUE_MAX_QUEUED"; "apertium-apy" becomes "APERTIUM_APY". */
  static String envName(String path) {
    StringBuilder out = new StringBuilder();
    for (char c : path.toCharArray()) {
      if (c == '.' || c == '-') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  /** "BASE_URL" becomes "baseUrl". */
  private static String camel(String upperSnake) {
    StringBuilder out = new StringBuilder();
    boolean upperNext = false;
    for (char c : upperSnake.toLowerCase().toCharArray()) {
      if (c == '_') {
        upperNext = true;
      } else {
        out.append(upperNext ? Character.toUpperCase(c) : c);
        upperNext = false;
      }
    }
    return out.toString();
  }

  private static void put(JsonObject root, String path, String raw) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    String leaf = parts[parts.length - 1];
    node.put(leaf, typed(node.getValue(leaf), raw, path));
  }

  private static Object typed(Object current, String raw, String path) {
    try {
      if (current instanceof Boolean) {
        return Boolean.parseBoolean(raw.trim());
      }
      if (current instanceof Integer || current instanceof Long) {
        return Long.parseLong(raw.trim());
      }
      if (current instanceof Number) {
        return Double.parseDouble(raw.trim());
      }
      if (current == null && !TEXT_KEYS.matcher(path).matches()) {
        // A key absent from the defaults (an engine setting, say): infer the type from the text.
        String text = raw.trim();
        if (text.equals("true") || text.equals("false")) {
          return Boolean.parseBoolean(text);
        }
        if (text.matches("-?\\d{1,18}")) {
          return Long.parseLong(text);
        }
        if (text.matches("-?\\d+\\.\\d+")) {
          return Double.parseDouble(text);
        }
        return raw;
      }
      if (current instanceof JsonArray) {
        JsonArray list = new JsonArray();
        for (String item : raw.split(",")) {
          if (!item.isBlank()) {
            list.add(item.trim());
          }
        }
        return list;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("config " + path + ": '" + raw + "' is not a number", e);
    }
    return raw;
  }

  /** API keys come from the environment only, so a config file checked into git cannot leak one. */
  private static JsonObject stripSecrets(JsonObject fromFile) {
    JsonObject engines = fromFile.getJsonObject("engines");
    if (engines != null) {
      for (String id : engines.fieldNames()) {
        Object section = engines.getValue(id);
        if (section instanceof JsonObject s && s.containsKey("apiKey")) {
          s.remove("apiKey");
          LOG.warn("Ignoring engines.{}.apiKey in the config file: API keys are read from the environment only", id);
        }
      }
    }
    JsonObject admin = fromFile.getJsonObject("admin");
    if (admin != null && admin.containsKey("key")) {
      admin.remove("key");
      LOG.warn("Ignoring admin.key in the config file: set TRANSLIVE_ADMIN_KEY in the environment");
    }
    return fromFile;
  }
}
