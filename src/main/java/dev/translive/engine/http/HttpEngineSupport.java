package dev.translive.engine.http;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP machinery every remote engine shares: a throttle (concurrency, requests per second,
 * bounded wait queue), a per-attempt deadline, retries with full-jitter backoff that honour
 * Retry-After, and a circuit breaker so a dead backend fails fast. Engines only build requests and
 * read replies.
 *
 * <p>One attempt = one throttle slot + one breaker execution. Backoff waits happen outside the slot,
 * so a retrying call never holds back others. The breaker counts only backend failures (5xx,
 * connection errors, timeouts): a 4xx means the backend is alive and the request or key is wrong.
 */
public final class HttpEngineSupport {
  private static final Logger log = LoggerFactory.getLogger(HttpEngineSupport.class);
  private static final int EXCERPT_CHARS = 200;

  private final Vertx vertx;
  private final String engineId;
  private final HttpEngineSettings settings;
  private final String secret;
  private final WebClient client;
  private final RequestThrottle throttle;
  private final CircuitBreaker breaker;
  private volatile String lastBackendFailure = "no failure recorded";

  /**
   * @param secret the engine's credential, scrubbed from every message built from backend replies;
   *     null when there is none
   */
  public HttpEngineSupport(Vertx vertx, String engineId, HttpEngineSettings settings, String secret) {
    this.vertx = vertx;
    this.engineId = engineId;
    this.settings = settings;
    this.secret = secret;
    int connectTimeout = (int) Math.min(Integer.MAX_VALUE, settings.timeoutMs());
    this.client = WebClient.create(vertx,
        new WebClientOptions()
            .setConnectTimeout(connectTimeout)
            .setUserAgent("Translive")
            .setDecompressionSupported(true),
        // The throttle is the real limit; the pool only has to be large enough not to add a second queue.
        new PoolOptions().setHttp1MaxSize(Math.max(settings.maxConcurrency(), 1)));
    this.throttle = new RequestThrottle(vertx, engineId, settings.maxConcurrency(), settings.requestsPerSecond(),
        settings.maxQueued());
    this.breaker = CircuitBreaker.create(engineId + "-breaker", vertx, new CircuitBreakerOptions()
            .setMaxFailures(settings.breakerMaxFailures())
            .setResetTimeout(settings.breakerResetMs())
            .setFailuresRollingWindow(settings.breakerWindowMs())
            // The breaker's own timeout is the hard per-attempt deadline; it counts as a failure.
            .setTimeout(settings.timeoutMs())
            .setMaxRetries(0)
            .setFallbackOnFailure(false)
            // No periodic breaker metrics on the event bus: nobody consumes them and the bus may be bridged.
            .setNotificationAddress(null))
        .openHandler(v -> log.warn("{}: circuit opened after repeated failures; last: {}", engineId, lastBackendFailure))
        .halfOpenHandler(v -> log.info("{}: circuit half-open, probing the backend", engineId))
        .closeHandler(v -> log.info("{}: circuit closed, backend answering again", engineId));
  }

  public HttpEngineSettings settings() {
    return settings;
  }

  public WebClient client() {
    return client;
  }

  public RequestThrottle throttle() {
    return throttle;
  }

  public CircuitBreakerState circuitState() {
    return breaker.state();
  }

  /** A request with this engine's timeouts applied; build a new one per attempt. */
  public HttpRequest<Buffer> request(HttpMethod method, String absoluteUrl) {
    return client.requestAbs(method, absoluteUrl)
        .idleTimeout(settings.timeoutMs())
        .connectTimeout(settings.timeoutMs());
  }

  /** Sends with throttling, breaker and retries; succeeds only with a 2xx reply. */
  public Future<HttpResponse<Buffer>> call(Supplier<Future<HttpResponse<Buffer>>> send) {
    return attempt(send, 0, settings.maxRetries());
  }

  /** Like {@link #call} but a single attempt, for optional metadata such as language lists. */
  public Future<HttpResponse<Buffer>> callOnce(Supplier<Future<HttpResponse<Buffer>>> send) {
    return attempt(send, 0, 0);
  }

  /** {@link #call} and parse the body as a JSON object. */
  public Future<JsonObject> callJson(Supplier<Future<HttpResponse<Buffer>>> send) {
    return call(send).map(this::jsonBody);
  }

  public JsonObject jsonBody(HttpResponse<Buffer> response) {
    try {
      JsonObject json = response.bodyAsJsonObject();
      if (json == null) {
        throw new EngineHttpException(engineId + ": empty reply from backend", false);
      }
      return json;
    } catch (DecodeException | ClassCastException e) {
      throw new EngineHttpException(engineId + ": reply is not a JSON object: " + excerpt(response.bodyAsString()), false);
    }
  }

  /** A short, single-line, credential-free excerpt of a backend text for messages. */
  public String excerpt(String text) {
    if (text == null) {
      return "(no body)";
    }
    String line = redact(text).replaceAll("\\s+", " ").trim();
    return line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS) + "...";
  }

  public String redact(String text) {
    if (text == null || secret == null || secret.length() < 4) {
      return text;
    }
    return text.replace(secret, "***");
  }

  public Future<Void> close() {
    throttle.close();
    breaker.close();
    client.close();
    return Future.succeededFuture();
  }

  private Future<HttpResponse<Buffer>> attempt(Supplier<Future<HttpResponse<Buffer>>> send, int attempt, int maxRetries) {
    if (breaker.state() == CircuitBreakerState.OPEN) {
      return Future.failedFuture(circuitOpen());
    }
    return throttle.<HttpResponse<Buffer>>submit(() -> breaker.execute(() -> sendOnce(send)))
        .compose(this::failOnClientError)
        .recover(failure -> {
          EngineHttpException error = classify(failure);
          if (!error.retryable() || attempt >= maxRetries) {
            return Future.failedFuture(attempt > 0 && error.retryable()
                ? new EngineHttpException(error.getMessage() + " (gave up after " + (attempt + 1) + " attempts)",
                    error.status(), false, -1)
                : error);
          }
          long delay = error.retryAfterMs() >= 0
              ? error.retryAfterMs()
              : RetryBackoff.fullJitterMs(attempt, settings.retryBaseMs(), settings.retryMaxMs());
          if (delay > settings.maxRetryAfterMs()) {
            return Future.failedFuture(new EngineHttpException(error.getMessage() + " (backend asked to retry after "
                + delay / 1000 + " s, more than maxRetryAfterMs)", error.status(), false, -1));
          }
          log.debug("{}: attempt {} failed ({}), retrying in {} ms", engineId, attempt + 1, error.getMessage(), delay);
          // Vert.x rejects a zero delay; jitter and "Retry-After: 0" can produce one.
          return vertx.timer(Math.max(1, delay)).compose(v -> attempt(send, attempt + 1, maxRetries));
        });
  }

  /** One HTTP exchange inside the breaker: backend-side failures fail the future so the breaker counts them. */
  private Future<HttpResponse<Buffer>> sendOnce(Supplier<Future<HttpResponse<Buffer>>> send) {
    Future<HttpResponse<Buffer>> sent;
    try {
      sent = send.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(new EngineHttpException(engineId + ": cannot build request: " + e.getMessage(), false));
    }
    return sent.compose(response -> {
      int status = response.statusCode();
      if (status >= 500) {
        boolean retryable = status == 500 || status == 502 || status == 503 || status == 504;
        long retryAfter = status == 503 ? RetryBackoff.retryAfterMs(response.getHeader("Retry-After"), Instant.now()) : -1;
        EngineHttpException error = statusError(response, retryable, retryAfter);
        // Status only: this text reaches other tasks' messages once the circuit opens, and a body
        // excerpt could echo someone else's document.
        lastBackendFailure = status + (response.statusMessage() == null ? "" : " " + response.statusMessage());
        return Future.failedFuture(error);
      }
      return Future.succeededFuture(response);
    }, failure -> {
      EngineHttpException error = classify(failure);
      lastBackendFailure = detail(error);
      return Future.failedFuture(error);
    });
  }

  private Future<HttpResponse<Buffer>> failOnClientError(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Future.succeededFuture(response);
    }
    if (status == 429) {
      return Future.failedFuture(statusError(response, true,
          RetryBackoff.retryAfterMs(response.getHeader("Retry-After"), Instant.now())));
    }
    return Future.failedFuture(statusError(response, false, -1));
  }

  private EngineHttpException statusError(HttpResponse<Buffer> response, boolean retryable, long retryAfterMs) {
    String reason = response.statusMessage() == null ? "" : " " + response.statusMessage();
    return new EngineHttpException(engineId + ": " + response.statusCode() + reason + ": " + excerpt(response.bodyAsString()),
        response.statusCode(), retryable, retryAfterMs);
  }

  private EngineHttpException classify(Throwable failure) {
    if (failure instanceof EngineHttpException e) {
      return e;
    }
    if (failure instanceof OpenCircuitException) {
      return circuitOpen();
    }
    if (failure instanceof io.vertx.circuitbreaker.TimeoutException || failure instanceof TimeoutException
        || failure.getClass().getSimpleName().contains("Timeout")) {
      EngineHttpException error = new EngineHttpException(
          engineId + ": no answer within " + settings.timeoutMs() + " ms", true);
      lastBackendFailure = detail(error);
      return error;
    }
    if (failure instanceof ConnectException) {
      return new EngineHttpException(engineId + ": cannot connect: " + redact(failure.getMessage()), true);
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return new EngineHttpException(engineId + ": request failed: " + redact(message), true);
  }

  private EngineHttpException circuitOpen() {
    return new EngineHttpException(engineId + " backend unavailable (circuit open): " + lastBackendFailure, 0, false, -1);
  }

  private String detail(EngineHttpException error) {
    String prefix = engineId + ": ";
    String message = error.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** Host and port of a URL for messages, without any user info or query. */
  public static String hostOf(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "(invalid url)";
    }
  }
}
