package dev.translive.engine.http;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Retry delays: exponential backoff with full jitter, and Retry-After parsing. */
public final class RetryBackoff {
  private RetryBackoff() {}

  /**
   * A random delay in [0, min(cap, base * 2^attempt)]; full jitter spreads retries of many callers
   * so they do not hit a recovering backend together.
   *
   * @param attempt 0 for the first retry
   */
  public static long fullJitterMs(int attempt, long baseMs, long capMs) {
    long ceiling = Math.min(capMs, baseMs * (1L << Math.min(attempt, 30)));
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  /**
   * Milliseconds to wait according to a Retry-After header (delta seconds or an HTTP date), or -1
   * when the header is absent or unreadable.
   */
  public static long retryAfterMs(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.trim();
    try {
      double seconds = Double.parseDouble(value);
      return seconds < 0 ? -1 : (long) Math.ceil(seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
