package dev.translive.http;

import dev.translive.bus.ErrorCode;
import dev.translive.bus.TransliveException;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told when a request fails. Messages are ours, never exception text: a server
 * error (5xx), or a message that reads like a Java exception (class names, "heap space", stack
 * frames), is replaced by a plain sentence and an {@code error_id}; the log has the same id with the
 * detail, so an operator can find it from what the user reports.
 */
public final class ClientErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Package-qualified class names, exception names, JVM error phrases, stack frames. */
  private static final Pattern EXCEPTION_TEXT = Pattern.compile(
      "(\\b[a-z][a-z0-9_]*\\.){2,}[A-Z][\\w$]*|\\w+(Exception|Error)\\b|heap space|GC overhead|\\bat [\\w.$]+\\(|"
          + "Pipe closed|Connection (was )?(closed|reset)|NullPointer|IndexOutOfBounds");

  private ClientErrors() {}

  /** The JSON body for {@code failure}; logs it with an id when the client gets one. */
  public static JsonObject body(Throwable failure, String method, String path) {
    TransliveException e = ErrorCode.of(failure);
    ErrorCode code = e.code();
    String message = e.getMessage() == null ? "" : e.getMessage();
    boolean leaky = EXCEPTION_TEXT.matcher(message).find();
    JsonObject body = new JsonObject().put("error", code.code());
    if (code.status() < 500 && !leaky) {
      return body.put("message", message);
    }
    String id = HexFormat.of().formatHex(randomBytes());
    if (code == ErrorCode.INTERNAL) {
      LOG.error("error_id={} {} {} failed", id, method, path, failure);
    } else {
      // Expected refusals (queue full, low disk) have no stack worth logging; their detail is enough.
      LOG.warn("error_id={} {} {} answered {}: {}", id, method, path, code.status(), message);
    }
    return body.put("message", leaky || code == ErrorCode.INTERNAL ? plain(code, id) : message).put("error_id", id);
  }

  /** A sentence for a failure whose own message is not fit for the client. */
  private static String plain(ErrorCode code, String id) {
    String what = switch (code) {
      case UNREADABLE_DOCUMENT -> "the document could not be read";
      case BAD_REQUEST -> "the request could not be read";
      case TOO_LARGE -> "the request is too large";
      case QUEUE_FULL -> "the service is busy; try again in a minute";
      case INSUFFICIENT_STORAGE -> "the server is low on disk space; try again later";
      default -> "something went wrong on the server";
    };
    return what + " (error id " + id + ")";
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
