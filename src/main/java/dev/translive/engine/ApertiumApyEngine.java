package dev.translive.engine;

import dev.translive.engine.http.AbstractHttpEngine;
import dev.translive.engine.http.EngineHttpException;
import dev.translive.engine.http.RemotePairList;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Apertium APy server. APy translates one text per request, so each segment is its own POST
 * /translate and a batch runs in parallel under the concurrency limit. Pairs come from /listPairs.
 */
public final class ApertiumApyEngine extends AbstractHttpEngine {
  public static final String ID = "apertium-apy";
  private static final long PAIR_LIST_RETRY_MS = 30_000;

  private final String url;
  private final RemotePairList pairs;
  /** ISO pair → APy "langpair" as listed by the server (keeps variants such as eng_US). */
  private volatile Map<LanguagePair, String> apertiumPairs = Map.of();

  public ApertiumApyEngine(Vertx vertx, JsonObject rawSettings) {
    super(vertx, ID, rawSettings, 4, 30_000, 8, null);
    String configured = settings.string("url");
    this.url = configured == null ? null : configured.replaceAll("/+$", "");
    this.pairs = new RemotePairList(ID, this::fetchPairs, List.of(), PAIR_LIST_RETRY_MS);
  }

  @Override
  protected String missingSettings() {
    return url == null ? "set TRANSLIVE_APY_URL" : null;
  }

  @Override
  public Future<Void> start() {
    return available() ? pairs.load() : Future.succeededFuture();
  }

  @Override
  public List<LanguagePair> languagePairs() {
    return available() ? pairs.current() : List.of();
  }

  @Override
  protected int requestChunkSize() {
    return 1;
  }

  @Override
  protected Future<List<String>> translateChunk(List<String> segments, String sourceLang, String targetLang) {
    LanguagePair pair = new LanguagePair(sourceLang, targetLang);
    String langpair = apertiumPairs.get(pair);
    if (langpair == null) {
      if (pairs.loaded()) {
        return Future.failedFuture(new EngineHttpException(ID + ": no installed pair " + pair, false));
      }
      // Pair list not fetched yet: let the server judge the pair.
      langpair = ApertiumLanguages.toApertium(sourceLang) + "|" + ApertiumLanguages.toApertium(targetLang);
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("langpair", langpair)
        .add("q", segments.get(0))
        .add("markUnknown", "no")
        .add("format", "txt");
    return support.callJson(() -> support.request(HttpMethod.POST, url + "/translate").sendForm(form))
        .map(reply -> {
          JsonObject data = reply.getValue("responseData") instanceof JsonObject d ? d : null;
          String text = data == null ? null : data.getString("translatedText");
          if (text == null) {
            throw new EngineHttpException(ID + ": reply has no responseData.translatedText (status "
                + reply.getValue("responseStatus") + ")", false);
          }
          return List.of(text);
        });
  }

  private Future<List<LanguagePair>> fetchPairs() {
    return support.callOnce(() -> support.request(HttpMethod.GET, url + "/listPairs").send())
        .map(support::jsonBody)
        .map(reply -> {
          JsonArray listed = reply.getJsonArray("responseData", new JsonArray());
          Map<LanguagePair, String> byIso = new LinkedHashMap<>();
          for (Object item : listed) {
            JsonObject entry = (JsonObject) item;
            String source = entry.getString("sourceLanguage");
            String target = entry.getString("targetLanguage");
            String isoSource = ApertiumLanguages.toIso(source);
            String isoTarget = ApertiumLanguages.toIso(target);
            if (isoSource != null && isoTarget != null && !isoSource.equals(isoTarget)) {
              // The first listing wins, so a plain "spa|eng" beats a later "spa|eng_US".
              byIso.putIfAbsent(new LanguagePair(isoSource, isoTarget), source + "|" + target);
            }
          }
          apertiumPairs = Map.copyOf(byIso);
          return new ArrayList<>(byIso.keySet());
        });
  }
}
