package dev.translive.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * The contract's error codes. HTTP answers with {@code status} and {@code {"error","message"}};
 * the event bus answers with a ReplyException whose failureCode is the same status.
 */
public enum ErrorCode {
  BAD_REQUEST(400, "bad_request"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  CONFLICT(409, "conflict"),
  TOO_LARGE(413, "too_large"),
  UNSUPPORTED_FORMAT(415, "unsupported_format"),
  UNREADABLE_DOCUMENT(422, "unreadable_document"),
  TOO_MANY(429, "too_many_requests"),
  INTERNAL(500, "internal_error"),
  QUEUE_FULL(503, "queue_full"),
  INSUFFICIENT_STORAGE(507, "insufficient_storage");

  private final int status;
  private final String code;

  ErrorCode(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public TransliveException error(String message) {
    return new TransliveException(this, message);
  }

  public static ErrorCode fromStatus(int status) {
    for (ErrorCode c : values()) {
      if (c.status == status) {
        return c;
      }
    }
    return INTERNAL;
  }

  /** Maps any failure, local or from the bus, onto a contract error. */
  public static TransliveException of(Throwable failure) {
    if (failure instanceof TransliveException te) {
      return te;
    }
    if (failure instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return new TransliveException(fromStatus(re.failureCode()), re.getMessage());
      }
      return new TransliveException(QUEUE_FULL, "service temporarily unavailable: " + re.failureType());
    }
    return new TransliveException(INTERNAL, failure.getMessage() == null ? failure.toString() : failure.getMessage());
  }

  public static JsonObject body(TransliveException e) {
    return new JsonObject().put("error", e.code().code()).put("message", e.getMessage());
  }
}
