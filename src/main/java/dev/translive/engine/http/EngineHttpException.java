package dev.translive.engine.http;

/**
 * A failed engine request. The message is safe to show and log: it names the engine and the
 * problem and never contains credentials or document text beyond a short backend reply excerpt.
 */
public final class EngineHttpException extends RuntimeException {
  private final int status;
  private final boolean retryable;
  private final long retryAfterMs;

  public EngineHttpException(String message, boolean retryable) {
    this(message, 0, retryable, -1);
  }

  public EngineHttpException(String message, int status, boolean retryable, long retryAfterMs) {
    super(message, null, false, false);
    this.status = status;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }

  /** HTTP status of the reply, 0 when there was no reply. */
  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  /** Delay the backend asked for with Retry-After, or -1 when it did not ask. */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
