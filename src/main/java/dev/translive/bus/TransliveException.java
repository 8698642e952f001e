package dev.translive.bus;

/** A failure a client can act on: a contract error code plus a message naming the problem. */
public final class TransliveException extends RuntimeException {
  private final ErrorCode code;

  public TransliveException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
