package dev.translive.engine.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an engine's settings tolerantly: values that come from environment variables arrive as
 * strings, so numbers and JSON objects are accepted in string form too. Bad values fall back to the
 * default and are recorded as problems, so one typo makes the engine unavailable with a reason
 * instead of aborting the whole server at startup.
 */
public final class SettingsReader {
  private final String engineId;
  private final JsonObject settings;
  private final List<String> problems = new ArrayList<>();

  public SettingsReader(String engineId, JsonObject settings) {
    this.engineId = engineId;
    this.settings = settings == null ? new JsonObject() : settings;
  }

  /** A trimmed string, or null when missing or blank. */
  public String string(String key) {
    Object value = settings.getValue(key);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  public int integer(String key, int defaultValue, int min) {
    Double value = number(key);
    if (value == null) {
      return defaultValue;
    }
    if (value != Math.rint(value) || value < min || value > Integer.MAX_VALUE) {
      problems.add("setting " + key + " must be a whole number >= " + min);
      return defaultValue;
    }
    return value.intValue();
  }

  public long longValue(String key, long defaultValue, long min) {
    Double value = number(key);
    if (value == null) {
      return defaultValue;
    }
    if (value != Math.rint(value) || value < min) {
      problems.add("setting " + key + " must be a whole number >= " + min);
      return defaultValue;
    }
    return value.longValue();
  }

  public double decimal(String key, double defaultValue, double min, double max) {
    Double value = number(key);
    if (value == null) {
      return defaultValue;
    }
    if (value < min || value > max) {
      problems.add("setting " + key + " must be between " + min + " and " + max);
      return defaultValue;
    }
    return value;
  }

  /** A JSON object given inline or as a JSON string; null when missing. */
  public JsonObject object(String key) {
    Object value = settings.getValue(key);
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    try {
      return new JsonObject(value.toString());
    } catch (DecodeException | ClassCastException e) {
      problems.add("setting " + key + " must be a JSON object");
      return null;
    }
  }

  /** A list of strings given as a JSON array or a comma-separated string; null when missing. */
  public List<String> stringList(String key) {
    Object value = settings.getValue(key);
    if (value == null) {
      return null;
    }
    List<String> items = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(item -> items.add(String.valueOf(item).trim()));
    } else {
      for (String item : value.toString().split(",")) {
        items.add(item.trim());
      }
    }
    items.removeIf(String::isEmpty);
    return items;
  }

  /** Problems found so far, already prefixed with the engine id; empty when all settings were fine. */
  public List<String> problems() {
    return problems.stream().map(p -> engineId + ": " + p).toList();
  }

  private Double number(String key) {
    Object value = settings.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      String text = value.toString().trim();
      return text.isEmpty() ? null : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      problems.add("setting " + key + " must be a number");
      return null;
    }
  }
}
