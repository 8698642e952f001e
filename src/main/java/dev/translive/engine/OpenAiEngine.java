package dev.translive.engine;

import dev.translive.format.InlineTags;

import dev.translive.engine.http.AbstractHttpEngine;
import dev.translive.engine.http.EngineHttpException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, llama.cpp server, ...).
 * Several segments go in one request as numbered tags ({@code <1>..</1>}); the reply is parsed by
 * number, and when the numbering does not match exactly the batch is redone one segment per
 * request, because a model that merged or dropped a segment may also have shifted the others.
 */
public final class OpenAiEngine extends AbstractHttpEngine {
  public static final String ID = "openai";
  private static final Logger log = LoggerFactory.getLogger(OpenAiEngine.class);
  private static final Pattern NUMBERED = Pattern.compile("<(\\d+)>(.*?)</\\1>", Pattern.DOTALL);
  private static final Pattern THINKING = Pattern.compile("<think>.*?</think>", Pattern.DOTALL);

  private final String baseUrl;
  private final String model;
  private final String apiKey;
  private final double temperature;
  private final JsonObject glossary;

  public OpenAiEngine(Vertx vertx, JsonObject rawSettings) {
    // No request rate limit by default: self-hosted servers are bounded by maxConcurrency, and hosted
    // APIs answer 429 with Retry-After, which the retries honour; 10 a second would throttle batching.
    super(vertx, ID, rawSettings, 4, 0, 60_000, 20, "apiKey");
    String url = settings.string("baseUrl");
    this.baseUrl = url == null ? null : url.replaceAll("/+$", "");
    this.model = settings.string("model");
    this.apiKey = settings.string("apiKey");
    this.temperature = settings.decimal("temperature", 0.2, 0, 2);
    this.glossary = settings.object("glossary");
  }

  @Override
  public String model() {
    return model == null ? "" : model;
  }

  @Override
  protected String missingSettings() {
    return baseUrl == null || model == null ? "set TRANSLIVE_OPENAI_BASE_URL and TRANSLIVE_OPENAI_MODEL" : null;
  }

  /**
   * A glossary goes into the prompt, only the entries whose source term occurs in the chunk sent
   * (the model then inflects and places the terms itself), instead of protecting the terms as tags.
   */
  @Override
  public Future<List<String>> translate(List<String> segments, String sourceLang, String targetLang,
      dev.translive.translator.Glossary glossary) {
    return glossary == null || glossary.isEmpty() ? translate(segments, sourceLang, targetLang)
        : translateWith(segments, sourceLang, targetLang, glossary);
  }

  @Override
  protected Future<List<String>> translateChunk(List<String> segments, String sourceLang, String targetLang) {
    return translateChunk(segments, sourceLang, targetLang, dev.translive.translator.Glossary.EMPTY);
  }

  @Override
  protected Future<List<String>> translateChunk(List<String> segments, String sourceLang, String targetLang,
      dev.translive.translator.Glossary taskGlossary) {
    java.util.Map<String, String> terms = taskGlossary.occurringIn(segments);
    if (segments.size() == 1) {
      return translateOne(segments.get(0), sourceLang, targetLang, terms).map(List::of);
    }
    return complete(systemPrompt(sourceLang, targetLang, true, terms), numberedBatch(segments))
        .compose(reply -> {
          List<String> parsed = parseNumbered(reply, segments.size());
          if (parsed != null) {
            return retryLostTags(segments, restoreEdgeWhitespace(segments, parsed), sourceLang, targetLang, terms);
          }
          log.warn("{}: model answered a batch of {} segments with mismatched numbering; translating them one by one",
              ID, segments.size());
          List<Future<String>> singles = segments.stream()
              .map(segment -> translateOne(segment, sourceLang, targetLang, occurring(terms, segment)))
              .toList();
          return Future.all(singles).map(done -> singles.stream().map(Future::result).toList());
        });
  }

  /**
   * Segments whose inline tags the model dropped or invented are asked for once more on their own;
   * what is still wrong then is repaired when the document is written.
   */
  private Future<List<String>> retryLostTags(List<String> segments, List<String> translated, String sourceLang,
      String targetLang, java.util.Map<String, String> terms) {
    List<Future<String>> results = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      results.add(InlineTags.sameTags(segment, translated.get(i)) ? Future.succeededFuture(translated.get(i))
          : translateOne(segment, sourceLang, targetLang, occurring(terms, segment)));
    }
    return Future.all(results).map(done -> results.stream().map(Future::result).toList());
  }

  /** The entries of {@code terms} whose source term occurs in {@code segment}. */
  private static java.util.Map<String, String> occurring(java.util.Map<String, String> terms, String segment) {
    return terms.isEmpty() ? terms : dev.translive.translator.Glossary.of(terms).occurringIn(List.of(segment));
  }

  private Future<String> translateOne(String segment, String sourceLang, String targetLang, java.util.Map<String, String> terms) {
    return complete(systemPrompt(sourceLang, targetLang, false, terms), segment.strip())
        .map(reply -> {
          // Some models wrap a lone answer in the tags they saw in earlier prompts; accept that.
          Matcher tagged = NUMBERED.matcher(reply.trim());
          String text = tagged.matches() ? tagged.group(2) : reply;
          return withEdgeWhitespace(segment, text.strip());
        });
  }

  /** One chat completion; the assistant's text with any reasoning block removed. */
  private Future<String> complete(String system, String user) {
    JsonObject body = new JsonObject()
        .put("model", model)
        .put("temperature", temperature)
        .put("stream", false)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", system))
            .add(new JsonObject().put("role", "user").put("content", user)));
    return support.callJson(() -> authorized(support.request(HttpMethod.POST, baseUrl + "/chat/completions"))
            .sendJsonObject(body))
        .map(reply -> {
          JsonArray choices = reply.getJsonArray("choices");
          JsonObject message = choices == null || choices.isEmpty() ? null : choices.getJsonObject(0).getJsonObject("message");
          String content = message == null ? null : message.getString("content");
          if (content == null) {
            throw new EngineHttpException(ID + ": reply has no choices[0].message.content", false);
          }
          return THINKING.matcher(content).replaceAll("");
        });
  }

  private HttpRequest<Buffer> authorized(HttpRequest<Buffer> request) {
    return apiKey == null ? request : request.bearerTokenAuthentication(apiKey);
  }

  private String systemPrompt(String sourceLang, String targetLang, boolean numbered, java.util.Map<String, String> terms) {
    StringBuilder prompt = new StringBuilder()
        .append("You are a professional translator. Translate from ").append(languageName(sourceLang))
        .append(" to ").append(languageName(targetLang)).append(". ")
        .append("Keep the meaning, tone, numbers, names, placeholders, markup and line breaks. ")
        .append("Never add explanations, notes or quotes. ")
        .append("Text may contain inline tags such as <x1/> (code or a link target) and <g2>...</g2> (formatting): ")
        .append("keep every such tag exactly once, next to the words it belongs to in the translation.");
    if (numbered) {
      prompt.append(" The user sends numbered segments such as <1>text</1>. Translate each segment on its own and ")
          .append("answer with exactly the same numbered tags, one translated segment per tag, in the same order, ")
          .append("and nothing else. Never merge, split or skip segments.");
    } else {
      prompt.append(" Answer with the translation only.");
    }
    if (glossary != null && !glossary.isEmpty()) {
      prompt.append("\nAlways use these translations for these terms:");
      glossary.forEach(entry -> prompt.append("\n- ").append(entry.getKey()).append(" => ").append(entry.getValue()));
    }
    if (!terms.isEmpty()) {
      prompt.append("\nGlossary: translate each of these source terms as given, wherever it occurs:");
      terms.forEach((source, target) -> prompt.append("\n- ").append(source).append(" => ").append(target));
    }
    return prompt.toString();
  }

  private static String numberedBatch(List<String> segments) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      text.append('<').append(i + 1).append('>').append(segments.get(i).strip()).append("</").append(i + 1).append(">\n");
    }
    return text.toString();
  }

  /** Translations ordered by number, or null unless the reply holds exactly the numbers 1..expected once each. */
  static List<String> parseNumbered(String reply, int expected) {
    Map<Integer, String> byNumber = new HashMap<>();
    Matcher matcher = NUMBERED.matcher(reply);
    while (matcher.find()) {
      int number;
      try {
        number = Integer.parseInt(matcher.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (number < 1 || number > expected || byNumber.put(number, matcher.group(2).strip()) != null) {
        return null;
      }
    }
    if (byNumber.size() != expected) {
      return null;
    }
    List<String> ordered = new ArrayList<>(expected);
    for (int i = 1; i <= expected; i++) {
      ordered.add(byNumber.get(i));
    }
    return ordered;
  }

  private static List<String> restoreEdgeWhitespace(List<String> sources, List<String> translations) {
    List<String> result = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      result.add(withEdgeWhitespace(sources.get(i), translations.get(i)));
    }
    return result;
  }

  /**
   * Models drop or invent leading and trailing whitespace, so they get the stripped text and the
   * source's edges are put back for the document layout.
   */
  private static String withEdgeWhitespace(String source, String translation) {
    int start = 0;
    while (start < source.length() && Character.isWhitespace(source.charAt(start))) {
      start++;
    }
    int end = source.length();
    while (end > start && Character.isWhitespace(source.charAt(end - 1))) {
      end--;
    }
    return source.substring(0, start) + translation + source.substring(end);
  }

  private static String languageName(String iso) {
    String name = Locale.forLanguageTag(iso).getDisplayLanguage(Locale.ENGLISH);
    return name.isEmpty() || name.equalsIgnoreCase(iso) ? iso : name + " (" + iso + ")";
  }
}
