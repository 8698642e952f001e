package dev.translive.engine.http;

/**
 * The resilience settings every HTTP engine shares. Keys (camelCase, under {@code engines.<id>}):
 * maxConcurrency, requestsPerSecond, timeoutMs, maxRetries, retryBaseMs, retryMaxMs,
 * maxRetryAfterMs, maxQueued, breakerMaxFailures, breakerResetMs, breakerWindowMs.
 */
public record HttpEngineSettings(
    int maxConcurrency,
    double requestsPerSecond,
    long timeoutMs,
    int maxRetries,
    long retryBaseMs,
    long retryMaxMs,
    long maxRetryAfterMs,
    int maxQueued,
    int breakerMaxFailures,
    long breakerResetMs,
    long breakerWindowMs) {

  /** Reads the shared keys; the engine chooses its own concurrency, rate and timeout defaults. */
  public static HttpEngineSettings read(SettingsReader reader, int defaultConcurrency, double defaultRequestsPerSecond,
      long defaultTimeoutMs) {
    return new HttpEngineSettings(
        reader.integer("maxConcurrency", defaultConcurrency, 1),
        // 0 or less means no rate limit.
        reader.decimal("requestsPerSecond", defaultRequestsPerSecond, -1, 100_000),
        reader.longValue("timeoutMs", defaultTimeoutMs, 1),
        reader.integer("maxRetries", 4, 0),
        reader.longValue("retryBaseMs", 500, 0),
        reader.longValue("retryMaxMs", 30_000, 0),
        reader.longValue("maxRetryAfterMs", 120_000, 0),
        reader.integer("maxQueued", 10_000, 1),
        reader.integer("breakerMaxFailures", 5, 1),
        reader.longValue("breakerResetMs", 30_000, 1),
        reader.longValue("breakerWindowMs", 60_000, 1));
  }
}
