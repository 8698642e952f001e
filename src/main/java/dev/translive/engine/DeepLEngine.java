package dev.translive.engine;

import dev.translive.format.InlineTags;

import dev.translive.engine.http.AbstractHttpEngine;
import dev.translive.engine.http.EngineHttpException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** DeepL REST API v2: up to 50 texts per POST /v2/translate. */
public final class DeepLEngine extends AbstractHttpEngine {
  public static final String ID = "deepl";
  /** DeepL's documented maximum of texts per request. */
  static final int MAX_TEXTS_PER_REQUEST = 50;

  private final String apiKey;
  private final String endpoint;
  private final int batchSize;
  private final List<LanguagePair> pairs;

  public DeepLEngine(Vertx vertx, JsonObject rawSettings) {
    super(vertx, ID, rawSettings, 2, 30_000, "apiKey");
    this.apiKey = settings.string("apiKey");
    this.endpoint = endpointFor(settings.string("url"), apiKey);
    this.batchSize = Math.min(MAX_TEXTS_PER_REQUEST, settings.integer("batchSize", MAX_TEXTS_PER_REQUEST, 1));
    List<String> languages = settings.stringList("languages");
    this.pairs = CommonLanguages.allPairs(languages == null ? CommonLanguages.CODES : languages);
  }

  /** Free-plan keys end in ":fx" and only work on the free host. */
  static String endpointFor(String url, String apiKey) {
    if (url != null) {
      return url.replaceAll("/+$", "").replaceAll("/v2$", "");
    }
    return apiKey != null && apiKey.endsWith(":fx") ? "https://api-free.deepl.com" : "https://api.deepl.com";
  }

  @Override
  protected String missingSettings() {
    return apiKey == null ? "set TRANSLIVE_DEEPL_API_KEY" : null;
  }

  @Override
  public List<LanguagePair> languagePairs() {
    return pairs;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  protected int requestChunkSize() {
    return batchSize;
  }

  @Override
  protected Future<List<String>> translateChunk(List<String> segments, String sourceLang, String targetLang) {
    // Inline tags go as XML, which DeepL keeps in place with tag_handling.
    boolean tagged = segments.stream().anyMatch(InlineTags::hasTags);
    JsonObject body = new JsonObject()
        .put("text", new JsonArray(new ArrayList<>(tagged ? segments.stream().map(InlineTags::toMarkup).toList() : segments)))
        .put("source_lang", sourceLang.toUpperCase(Locale.ROOT))
        .put("target_lang", targetCode(targetLang));
    if (tagged) {
      body.put("tag_handling", "xml");
    }
    return support.callJson(() -> support.request(HttpMethod.POST, endpoint + "/v2/translate")
            .putHeader("Authorization", "DeepL-Auth-Key " + apiKey)
            .sendJsonObject(body))
        .map(reply -> {
          JsonArray translations = reply.getJsonArray("translations");
          if (translations == null) {
            throw new EngineHttpException(ID + ": reply has no translations", false);
          }
          List<String> texts = new ArrayList<>(translations.size());
          for (int i = 0; i < translations.size(); i++) {
            String text = translations.getJsonObject(i).getString("text", "");
            texts.add(tagged ? InlineTags.fromMarkup(text) : text);
          }
          return texts;
        });
  }

  /** DeepL rejects the bare "EN" and "PT" as targets; pick the common variant. */
  static String targetCode(String iso) {
    String code = iso.toUpperCase(Locale.ROOT);
    return switch (code) {
      case "EN" -> "EN-US";
      case "PT" -> "PT-PT";
      default -> code;
    };
  }
}
