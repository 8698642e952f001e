package dev.translive.engine;

import dev.translive.format.InlineTags;

import dev.translive.engine.http.AbstractHttpEngine;
import dev.translive.engine.http.EngineHttpException;
import dev.translive.engine.http.RemotePairList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** LibreTranslate: POST /translate with an array of texts; pairs from GET /languages when reachable. */
public final class LibreTranslateEngine extends AbstractHttpEngine {
  public static final String ID = "libretranslate";
  private static final long PAIR_LIST_RETRY_MS = 60_000;

  private final String url;
  private final String apiKey;
  private final int batchSize;
  private final RemotePairList pairs;

  public LibreTranslateEngine(Vertx vertx, JsonObject rawSettings) {
    super(vertx, ID, rawSettings, 2, 30_000, "apiKey");
    String configured = settings.string("url");
    this.url = configured == null ? null : configured.replaceAll("/+$", "");
    this.apiKey = settings.string("apiKey");
    this.batchSize = settings.integer("batchSize", 20, 1);
    this.pairs = new RemotePairList(ID, this::fetchPairs, CommonLanguages.allPairs(CommonLanguages.CODES),
        PAIR_LIST_RETRY_MS);
  }

  @Override
  protected String missingSettings() {
    return url == null ? "set TRANSLIVE_LIBRETRANSLATE_URL" : null;
  }

  @Override
  public Future<Void> start() {
    // A missing language list is not fatal: the common list stands in until the server answers.
    return available() ? pairs.load().recover(e -> Future.succeededFuture()) : Future.succeededFuture();
  }

  @Override
  public List<LanguagePair> languagePairs() {
    return available() ? pairs.current() : List.of();
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
    // Inline tags go as HTML, whose elements LibreTranslate keeps around the translated text.
    boolean tagged = segments.stream().anyMatch(InlineTags::hasTags);
    List<String> sent = tagged ? segments.stream().map(InlineTags::toMarkup).toList() : segments;
    JsonObject body = new JsonObject()
        // Older servers only take a single string, so a lone segment goes as one.
        .put("q", sent.size() == 1 ? sent.get(0) : new JsonArray(new ArrayList<>(sent)))
        .put("source", sourceLang)
        .put("target", targetLang)
        .put("format", tagged ? "html" : "text");
    if (apiKey != null) {
      body.put("api_key", apiKey);
    }
    return support.callJson(() -> support.request(HttpMethod.POST, url + "/translate").sendJsonObject(body))
        .map(reply -> {
          Object translated = reply.getValue("translatedText");
          if (translated instanceof String text) {
            return List.of(tagged ? InlineTags.fromMarkup(text) : text);
          }
          if (translated instanceof JsonArray texts) {
            List<String> out = new ArrayList<>(texts.size());
            texts.forEach(t -> out.add(t == null ? "" : tagged ? InlineTags.fromMarkup(t.toString()) : t.toString()));
            return out;
          }
          throw new EngineHttpException(ID + ": reply has no translatedText", false);
        });
  }

  private Future<List<LanguagePair>> fetchPairs() {
    return support.callOnce(() -> support.request(HttpMethod.GET, url + "/languages").send())
        .map(response -> {
          JsonArray languages;
          try {
            languages = response.bodyAsJsonArray();
          } catch (DecodeException | ClassCastException e) {
            throw new EngineHttpException(ID + ": /languages is not a JSON array", false);
          }
          Set<String> codes = new LinkedHashSet<>();
          languages.forEach(l -> codes.add(((JsonObject) l).getString("code")));
          List<LanguagePair> list = new ArrayList<>();
          for (Object item : languages) {
            JsonObject language = (JsonObject) item;
            String source = language.getString("code");
            JsonArray targets = language.getJsonArray("targets");
            for (Object target : targets == null ? new JsonArray(new ArrayList<>(codes)) : targets) {
              if (source != null && target != null && !source.equals(target)) {
                list.add(new LanguagePair(source, target.toString()));
              }
            }
          }
          return list;
        });
  }
}
