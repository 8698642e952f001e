package dev.translive.queue;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.bus.Internal;
import dev.translive.bus.TaskSpec;
import dev.translive.store.TaskFiles;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns submissions into queued tasks, all or nothing: several files of one HTTP request, and a
 * document sent on the bus ({@code translive.tasks.submit}).
 */
public record Submission(Vertx vertx, TaskIntake intake, TaskFiles files) {
  private static final Logger LOG = LoggerFactory.getLogger(Submission.class);

  /** One uploaded file and the options it came with. */
  public record Upload(TaskIntake.Request request, Path file) {}

  /**
   * Checks every file before any is queued, then queues them all. One refused file refuses the
   * request and removes what the others left (here and in the cluster's store); one task refused
   * by the queue (it filled meanwhile) withdraws the others, so the client is never left without the
   * tokens of tasks that would still run. Answers the queue's replies, in upload order.
   */
  public Future<JsonArray> submitAll(List<Upload> uploads) {
    List<Future<TaskSpec>> specs = uploads.stream().map(u -> intake.accept(u.request(), u.file())).toList();
    return allOrUndo(specs, files::delete, "remove the files of")
        .compose(accepted -> allOrUndo(accepted.stream().map(this::enqueue).toList(), this::withdraw, "withdraw"))
        .map(JsonArray::new);
  }

  /**
   * The files of a batch: each is checked alone, and one that is refused is listed in
   * {@code skipped} (with the reason a client would get) instead of refusing the others; those
   * accepted are queued all or nothing. Answers the queue's replies, in upload order, each with
   * the file's {@code path} (its name as uploaded, folders included).
   */
  public Future<JsonArray> submitBatch(List<Upload> uploads, List<ZipBatch.Skipped> skipped) {
    List<Future<TaskSpec>> specs = uploads.stream().map(u -> intake.accept(u.request(), u.file())).toList();
    return Future.join(specs).transform(ignored -> {
      List<Future<JsonObject>> queued = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        String path = uploads.get(i).request().filename();
        if (specs.get(i).succeeded()) {
          queued.add(enqueue(specs.get(i).result()).map(reply -> reply.put("path", path)));
        } else {
          var error = ErrorCode.of(specs.get(i).cause());
          skipped.add(new ZipBatch.Skipped(path, error.code() == ErrorCode.INTERNAL ? "could not be stored" : error.getMessage()));
        }
      }
      return allOrUndo(queued, this::withdraw, "withdraw").map(JsonArray::new);
    });
  }

  private Future<JsonObject> enqueue(TaskSpec spec) {
    return vertx.eventBus().<JsonObject>request(Addresses.QUEUE_ENQUEUE, spec.toJson()).map(Message::body);
  }

  /** Cancels queued tasks whose tokens their client will never receive (it left before the reply). */
  public Future<Void> withdrawAll(JsonArray queued) {
    return undoAll(queued.stream().map(JsonObject.class::cast).map(Future::succeededFuture).toList(), this::withdraw, "withdraw");
  }

  private Future<?> withdraw(JsonObject queued) {
    return vertx.eventBus().request(Addresses.TASKS_CANCEL,
        new Internal.TaskRef(queued.getString("task_id"), queued.getString("token")).toJson());
  }

  /**
   * Every result, once all succeeded; else {@code undo} is applied to those that succeeded, and,
   * once all of that is done (failures logged), the first failure is the answer.
   */
  private static <T> Future<List<T>> allOrUndo(List<Future<T>> results, Function<T, Future<?>> undo, String what) {
    return Future.join(results).transform(all -> all.succeeded()
        ? Future.succeededFuture(results.stream().map(Future::result).toList())
        : undoAll(results, undo, what).transform(v -> Future.failedFuture(firstFailure(results, all.cause()))));
  }

  private static <T> Future<Void> undoAll(List<Future<T>> results, Function<T, Future<?>> undo, String what) {
    List<Future<?>> undone = new ArrayList<>();
    for (Future<T> result : results) {
      if (result.succeeded()) {
        undone.add(undo.apply(result.result())
            .onFailure(e -> LOG.warn("Could not {} a refused submission: {}", what, e.getMessage())));
      }
    }
    return Future.join(undone).mapEmpty();
  }

  private static Throwable firstFailure(List<? extends Future<?>> results, Throwable fallback) {
    return results.stream().filter(Future::failed).findFirst().<Throwable>map(Future::cause).orElse(fallback);
  }

  /**
   * A document sent on the bus: a Buffer body with headers (the contract), or, for non-JVM clients
   * on the TCP bridge, a JSON body with the same fields and the document in {@code content} (text)
   * or {@code content_base64}. Accepted like an upload; the caller queues it. {@code admission}
   * runs once the message itself is valid, with its headers, and throws to refuse it (a full queue,
   * a priority the sender may not ask for).
   */
  public Future<TaskSpec> fromBus(Message<Object> msg, long maxBytes, Path incomingDir,
      java.util.function.Consumer<MultiMap> admission) {
    return received(msg, maxBytes, incomingDir, admission).compose(upload -> intake.accept(upload.request(), upload.file()));
  }

  /** A document sent on the bus, as for {@link #fromBus}, measured for an estimate and deleted; nothing is queued. */
  public Future<TaskIntake.Measured> measureFromBus(Message<Object> msg, long maxBytes, Path incomingDir) {
    return received(msg, maxBytes, incomingDir, headers -> {}).compose(upload -> intake.measure(upload.request(), upload.file()));
  }

  /** The bus message's document written to a temporary file, with the options sent along. */
  private Future<Upload> received(Message<Object> msg, long maxBytes, Path incomingDir,
      java.util.function.Consumer<MultiMap> admission) {
    MultiMap headers = msg.headers();
    Buffer body;
    if (msg.body() instanceof JsonObject json) {
      try {
        String base64 = json.getString("content_base64");
        body = base64 != null ? Buffer.buffer(Base64.getDecoder().decode(base64))
            : Buffer.buffer(json.getString("content", ""));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(ErrorCode.BAD_REQUEST.error("content_base64 is not valid base64"));
      }
      headers = MultiMap.caseInsensitiveMultiMap();
      for (String key : new String[] {"filename", "source_lang", "target_lang", "engine", "bilingual", "client", "output",
          "priority", "admin_key", "glossary"}) {
        if (json.getValue(key) != null) {
          headers.add(key, String.valueOf(json.getValue(key)));
        }
      }
    } else {
      body = msg.body() instanceof Buffer b ? b : Buffer.buffer();
    }
    if (body.length() > maxBytes) {
      return Future.failedFuture(ErrorCode.TOO_LARGE.error("the document is " + body.length() + " bytes; the limit is "
          + maxBytes + " bytes (upload.maxBytes)"));
    }
    String filename = headers.get("filename");
    if (filename == null || filename.isBlank()) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("header 'filename' is required"));
    }
    try {
      admission.accept(headers);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    dev.translive.translator.Glossary glossary;
    try {
      // A task's glossary on the bus: the text of the CSV or TSV file the HTTP part would carry.
      String text = headers.get("glossary");
      glossary = text == null || text.isBlank() ? dev.translive.translator.Glossary.EMPTY
          : dev.translive.translator.Glossary.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    TaskIntake.Request request = new TaskIntake.Request(filename, headers.get("source_lang"), headers.get("target_lang"),
        headers.get("engine"), Boolean.parseBoolean(headers.get("bilingual")),
        headers.get("client") == null ? TaskSpec.UNNAMED_SERVICE : TaskSpec.UNNAMED_SERVICE + ":" + headers.get("client"),
        headers.get("output"), headers.get("priority"), glossary);
    Path temp = incomingDir.resolve("bus-" + Base64.getUrlEncoder().withoutPadding().encodeToString(TaskIntake.randomBytes(9)));
    return vertx.fileSystem().writeFile(temp.toString(), body).map(v -> new Upload(request, temp));
  }
}
