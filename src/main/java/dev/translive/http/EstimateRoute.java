package dev.translive.http;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * {@code POST /api/estimate}: the multipart of {@code POST /api/tasks}, answered per file with
 * what the queue owner estimates ({@code translive.tasks.estimate}); nothing is queued, and the
 * uploads are deleted when the request ends.
 */
final class EstimateRoute {
  private static final long ESTIMATE_TIMEOUT_MS = 60_000;

  private EstimateRoute() {}

  /**
   * @param admit the edge's admission of an upload (rate limits, sizes), as for a submit
   * @param fail how the edge answers a failure
   */
  static void install(Router router, Vertx vertx, AppConfig config, io.vertx.core.Handler<RoutingContext> admit,
      java.util.function.BiConsumer<RoutingContext, Throwable> fail) {
    router.post("/api/estimate").handler(admit);
    router.post("/api/estimate").handler(BodyHandler.create()
        .setUploadsDirectory(config.dataDir().resolve("incoming").toString())
        .setBodyLimit(config.upload().maxBytes())
        .setDeleteUploadedFilesOnEnd(true)
        .setMergeFormAttributes(true));
    router.post("/api/estimate").handler(ctx -> estimate(ctx, vertx, config, fail));
  }

  private static void estimate(RoutingContext ctx, Vertx vertx, AppConfig config,
      java.util.function.BiConsumer<RoutingContext, Throwable> fail) {
    List<FileUpload> uploads = ctx.fileUploads();
    if (uploads.isEmpty()) {
      fail.accept(ctx, ErrorCode.BAD_REQUEST.error("send the document as a multipart/form-data part named 'file'"));
      return;
    }
    if (uploads.size() > config.upload().maxFiles()) {
      fail.accept(ctx, ErrorCode.BAD_REQUEST.error(uploads.size() + " files at once; the limit is " + config.upload().maxFiles()));
      return;
    }
    var form = ctx.request().formAttributes();
    List<Future<JsonObject>> each = uploads.stream().map(upload -> vertx.fileSystem().readFile(upload.uploadedFileName())
        .compose(content -> {
          DeliveryOptions headers = new DeliveryOptions().setSendTimeout(ESTIMATE_TIMEOUT_MS).addHeader("filename", upload.fileName());
          for (String field : new String[] {"source_lang", "target_lang", "engine", "bilingual"}) {
            if (form.get(field) != null) {
              headers.addHeader(field, form.get(field));
            }
          }
          return vertx.eventBus().<JsonObject>request(Addresses.TASKS_ESTIMATE, content, headers);
        })
        .map(reply -> reply.body())).toList();
    Future.all(each)
        .map(all -> new JsonObject().put("estimates", new JsonArray(each.stream().map(Future::result).toList())))
        .onSuccess(body -> {
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8").end(body.toBuffer());
          }
        })
        .onFailure(err -> fail.accept(ctx, err));
  }
}
