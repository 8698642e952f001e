package dev.translive.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** Answers a bus request with a result or with its contract error (failureCode = the HTTP status). */
public final class Replies {
  private Replies() {}

  /** Replies with what {@code action} produces; a thrown or failed result becomes the error reply. */
  public static <T> void reply(Message<?> msg, Supplier<Future<T>> action, Logger log) {
    Future<T> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(err -> {
      TransliveException e = ErrorCode.of(err);
      if (e.code() == ErrorCode.INTERNAL) {
        log.error("Request on {} failed", msg.address(), err);
      }
      msg.fail(e.code().status(), e.getMessage());
    });
  }

  /** {@link #reply} for an answer computed at once. */
  public static <T> void replyNow(Message<?> msg, Supplier<T> action, Logger log) {
    reply(msg, () -> Future.succeededFuture(action.get()), log);
  }
}
