package dev.translive.http;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.config.AppConfig;
import dev.translive.queue.Estimates;
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
import java.util.Map;

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
      java.util.function.Function<RoutingContext, String> submitter, java.util.function.BiConsumer<RoutingContext, Throwable> fail) {
    router.post("/api/estimate").handler(admit);
    router.post("/api/estimate").handler(BodyHandler.create()
        .setUploadsDirectory(config.dataDir().resolve("incoming").toString())
        .setBodyLimit(config.upload().maxBytes())
        .setDeleteUploadedFilesOnEnd(true)
        .setMergeFormAttributes(true));
    router.post("/api/estimate").handler(ctx -> estimate(ctx, vertx, config, submitter, fail));
  }

  private static void estimate(RoutingContext ctx, Vertx vertx, AppConfig config,
      java.util.function.Function<RoutingContext, String> submitter, java.util.function.BiConsumer<RoutingContext, Throwable> fail) {
    List<FileUpload> uploads = documents(ctx);
    if (uploads.isEmpty()) {
      fail.accept(ctx, ErrorCode.BAD_REQUEST.error("send the document as a multipart/form-data part named 'file'"));
      return;
    }
    if (uploads.size() > config.upload().maxFiles()) {
      fail.accept(ctx, ErrorCode.BAD_REQUEST.error(uploads.size() + " files at once; the limit is " + config.upload().maxFiles()));
      return;
    }
    estimates(ctx, vertx, submitter.apply(ctx)).onSuccess(estimates -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
            .end(new JsonObject().put("estimates", estimates).toBuffer());
      }
    }).onFailure(err -> fail.accept(ctx, err));
  }

  /**
   * For {@code POST /api/tasks} with a {@code max_cost} field, between the body handler and the
   * submit: refuses (400, with the estimates) an upload any of whose files would cost more.
   * Files on an engine with no price have no cost and pass.
   */
  static io.vertx.core.Handler<RoutingContext> maxCostGuard(Vertx vertx, java.util.function.Function<RoutingContext, String> submitter,
      java.util.function.BiConsumer<RoutingContext, Throwable> fail) {
    return ctx -> {
      Double limit;
      try {
        limit = Estimates.maxCost(ctx.request().formAttributes().get("max_cost"));
      } catch (RuntimeException e) {
        fail.accept(ctx, e);
        return;
      }
      if (limit == null || documents(ctx).isEmpty()) {
        ctx.next();
        return;
      }
      estimates(ctx, vertx, submitter.apply(ctx)).onSuccess(estimates -> {
        String over = overMaxCost(estimates, limit);
        if (over == null) {
          ctx.next();
        } else if (!ctx.response().ended()) {
          ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
              .end(new JsonObject().put("error", ErrorCode.BAD_REQUEST.code()).put("message", over)
                  .put("estimates", estimates).toBuffer());
        }
      }).onFailure(err -> fail.accept(ctx, err));
    };
  }

  /** Why the estimates are over {@code maxCost}, or null when none is. */
  private static String overMaxCost(JsonArray estimates, double maxCost) {
    for (int i = 0; i < estimates.size(); i++) {
      String over = Estimates.overMaxCost(estimates.getJsonObject(i), maxCost);
      if (over != null) {
        return over;
      }
    }
    return null;
  }

  /** The request's documents: every file part but a task's {@code glossary}. */
  private static List<FileUpload> documents(RoutingContext ctx) {
    return ctx.fileUploads().stream().filter(u -> !"glossary".equals(u.name())).toList();
  }

  /** Each upload's estimate, as {@code submitter} would be charged: its own translation memory. */
  private static Future<JsonArray> estimates(RoutingContext ctx, Vertx vertx, String submitter) {
    var form = ctx.request().formAttributes();
    // A task's glossary changes its memory key, so what is remembered: it goes along as on the bus.
    FileUpload glossaryPart = ctx.fileUploads().stream().filter(u -> "glossary".equals(u.name())).findFirst().orElse(null);
    Future<String> glossary = glossaryPart == null ? Future.succeededFuture(null)
        : glossaryPart.size() > dev.translive.translator.Glossary.MAX_BYTES
            ? Future.failedFuture(ErrorCode.BAD_REQUEST.error("the glossary is " + glossaryPart.size() + " bytes; the limit is "
                + dev.translive.translator.Glossary.MAX_BYTES + " bytes"))
            : vertx.fileSystem().readFile(glossaryPart.uploadedFileName()).map(b -> b.toString(java.nio.charset.StandardCharsets.UTF_8));
    List<Future<JsonObject>> each = documents(ctx).stream().map(upload -> glossary.compose(terms -> vertx.fileSystem()
        .readFile(upload.uploadedFileName()).map(content -> Map.entry(content, terms == null ? "" : terms)))
        .compose(read -> {
          var content = read.getKey();
          DeliveryOptions headers = new DeliveryOptions().setSendTimeout(ESTIMATE_TIMEOUT_MS).addHeader("filename", upload.fileName())
              .addHeader("client", submitter);
          for (String field : new String[] {"source_lang", "target_lang", "engine", "bilingual"}) {
            if (form.get(field) != null) {
              headers.addHeader(field, form.get(field));
            }
          }
          if (!read.getValue().isEmpty()) {
            headers.addHeader("glossary", read.getValue());
          }
          return vertx.eventBus().<JsonObject>request(Addresses.TASKS_ESTIMATE, content, headers);
        })
        .map(reply -> reply.body())).toList();
    return Future.all(each).map(all -> new JsonArray(each.stream().map(Future::result).toList()));
  }
}
