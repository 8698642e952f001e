package dev.translive.http;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.bus.TransliveException;
import dev.translive.config.AppConfig;
import dev.translive.engine.EngineRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import dev.translive.progress.BridgeGroup;
import dev.translive.progress.ProgressBridge;
import dev.translive.queue.TaskIntake;
import dev.translive.queue.TaskSpec;
import dev.translive.store.TaskFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: the REST API of CONTRACT.md, the static page, and the SockJS bridge at /eventbus.
 * It holds no task state; it asks the queue owner over the event bus.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  public static final String TOKEN_HEADER = "X-Task-Token";

  private final AppConfig config;
  private final TaskIntake intake;
  private final TaskFiles files;
  private final EngineRegistry engines;
  private final BridgeGroup bridges;
  private final HealthChecks health;
  private final PrometheusMeterRegistry metricsRegistry;
  private ProgressBridge bridge;
  private final ClientRateLimiter submissions;
  private HttpServer server;
  private EventBus bus;

  /**
   * @param bridges shared by every instance of this verticle, so the connection cap is per process
   * @param submissions shared likewise, so the per-client limit is per process
   */
  public HttpVerticle(AppConfig config, TaskIntake intake, TaskFiles files, EngineRegistry engines, BridgeGroup bridges,
      ClientRateLimiter submissions, HealthChecks health, PrometheusMeterRegistry metricsRegistry) {
    this.submissions = submissions;
    this.config = config;
    this.intake = intake;
    this.files = files;
    this.engines = engines;
    this.bridges = bridges;
    this.health = health;
    this.metricsRegistry = metricsRegistry;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    Router router = Router.router(vertx);
    router.post("/api/tasks").handler(this::admitUpload);
    router.post("/api/tasks").handler(BodyHandler.create()
        .setUploadsDirectory(config.dataDir().resolve("incoming").toString())
        .setBodyLimit(config.upload().maxBytes())
        .setDeleteUploadedFilesOnEnd(true)
        .setMergeFormAttributes(true));
    router.post("/api/tasks").handler(this::submit);
    router.get("/api/tasks/:id").handler(ctx -> forward(ctx, Addresses.TASKS_GET,
        taskRef(ctx).put("token", ctx.request().getHeader(TOKEN_HEADER))));
    router.delete("/api/tasks/:id").handler(ctx -> forward(ctx, Addresses.TASKS_CANCEL,
        taskRef(ctx).put("token", ctx.request().getHeader(TOKEN_HEADER))));
    router.get("/api/tasks/:id/result").handler(this::result);
    router.get("/api/queue").handler(ctx -> forward(ctx, Addresses.SNAPSHOT, new JsonObject()));
    router.get("/api/history").handler(ctx -> forward(ctx, Addresses.QUEUE_HISTORY, new JsonObject()));
    router.get("/api/engines").handler(ctx -> json(ctx, 200, engines.describe()));
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(health));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metricsRegistry));

    // The live bridge comes from the progress layer; its routes go before the catch-all static handler.
    Future<ProgressBridge> bridgeReady = ProgressBridge.mount(vertx, router, "/eventbus", config.bridge(), bridges,
        "/vendor/sockjs.min.js").onSuccess(b -> bridge = b);
    router.route("/api/*").handler(ctx -> fail(ctx, ErrorCode.NOT_FOUND.error("no such API path: " + ctx.request().path())));
    Path webroot = Path.of(config.http().webroot()).toAbsolutePath();
    router.route().handler(StaticHandler.create(FileSystemAccess.ROOT, webroot.toString()).setCachingEnabled(false));
    router.route().failureHandler(this::failure);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setPerMessageWebSocketCompressionSupported(config.bridgeCompression())
        .setPerFrameWebSocketCompressionSupported(config.bridgeCompression())
        .setMaxWebSocketFrameSize(config.bridge().getMaxFrameBytes())
        .setMaxWebSocketMessageSize(config.bridge().getMaxFrameBytes());
    return bridgeReady
        .compose(v -> vertx.createHttpServer(options).requestHandler(router).listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("Listening on http://{}:{}", config.http().host(), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }

  /** The bound port (the configured one, or the one picked when it was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  // ---- handlers --------------------------------------------------------------------------

  /**
   * Refuses an upload before its body is read: declared too large (413), too little disk (507), or
   * too many submissions from this client (429 with Retry-After).
   */
  private void admitUpload(RoutingContext ctx) {
    String declared = ctx.request().getHeader("Content-Length");
    long length = declared == null ? 0 : parseLength(declared);
    if (length > config.upload().maxBytes()) {
      ctx.response().putHeader("Connection", "close");
      fail(ctx, ErrorCode.TOO_LARGE.error("the upload is " + length + " bytes; the limit is " + config.upload().maxBytes()
          + " bytes (upload.maxBytes)"));
      return;
    }
    long wait = submissions.tryAcquire(client(ctx), 1);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", String.valueOf(wait));
      fail(ctx, ErrorCode.TOO_MANY.error("too many submissions from this client; try again in " + wait + " s"));
      return;
    }
    ctx.request().pause();
    vertx.fileSystem().fsProps(config.dataDir().toString())
        .onSuccess(props -> {
          if (props.usableSpace() - length < config.upload().minFreeBytes()) {
            ctx.response().putHeader("Connection", "close");
            fail(ctx, ErrorCode.INSUFFICIENT_STORAGE.error("the server is low on disk space; try again later"));
          } else {
            ctx.request().resume();
            ctx.next();
          }
        })
        .onFailure(err -> fail(ctx, err));
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String client(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  private void submit(RoutingContext ctx) {
    List<FileUpload> uploads = ctx.fileUploads();
    if (uploads.isEmpty()) {
      fail(ctx, ErrorCode.BAD_REQUEST.error("send the document as a multipart/form-data part named 'file'"));
      return;
    }
    if (uploads.size() > config.upload().maxFiles()) {
      fail(ctx, ErrorCode.BAD_REQUEST.error(uploads.size() + " files in one request; the limit is " + config.upload().maxFiles()));
      return;
    }
    var form = ctx.request().formAttributes();
    String client = client(ctx);
    List<Future<JsonObject>> specs = new ArrayList<>();
    for (FileUpload upload : uploads) {
      TaskIntake.Request request = new TaskIntake.Request(upload.fileName(), form.get("source_lang"), form.get("target_lang"),
          form.get("engine"), Boolean.parseBoolean(form.get("bilingual")), client);
      specs.add(intake.accept(request, Path.of(upload.uploadedFileName())).map(spec -> spec.toJson()));
    }
    // Every file is checked before any is queued: one bad file refuses the request, and nothing is half-submitted.
    Future.join(specs)
        .recover(err -> {
          specs.stream().filter(Future::succeeded).forEach(f -> vertx.fileSystem().delete(f.result().getString("storedPath")));
          return Future.failedFuture(specs.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(err));
        })
        .compose(all -> {
          List<Future<JsonObject>> queued = new ArrayList<>();
          for (Future<JsonObject> spec : specs) {
            queued.add(bus.<JsonObject>request(Addresses.QUEUE_ENQUEUE, spec.result()).map(m -> m.body()));
          }
          // If one file is refused now (the queue filled meanwhile), the others are withdrawn, so the
          // client is never left without the tokens of tasks that would still run.
          return Future.join(queued)
              .recover(err -> {
                queued.stream().filter(Future::succeeded).forEach(f -> bus.request(Addresses.TASKS_CANCEL,
                    new JsonObject().put("task_id", f.result().getString("task_id")).put("token", f.result().getString("token"))));
                return Future.failedFuture(queued.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(err));
              })
              .map(done -> new JsonObject().put("tasks",
                  new io.vertx.core.json.JsonArray(queued.stream().map(Future::result).toList())));
        })
        .onSuccess(body -> json(ctx, 202, body))
        .onFailure(err -> fail(ctx, err));
  }

  private void result(RoutingContext ctx) {
    String token = ctx.request().getHeader(TOKEN_HEADER);
    if (token == null) {
      token = ctx.request().getParam("token");
    }
    bus.<JsonObject>request(Addresses.QUEUE_AUTHORIZE, taskRef(ctx).put("token", token))
        .compose(reply -> files.result(TaskSpec.fromJson(reply.body().getJsonObject("spec")))
            .map(path -> {
              ctx.response()
                  .putHeader("Content-Disposition", contentDisposition(reply.body().getString("filename")))
                  .putHeader("Cache-Control", "no-store")
                  .sendFile(path.toString())
                  .onFailure(err -> LOG.warn("Result download failed: {}", err.getMessage()));
              return path;
            }))
        .onFailure(err -> fail(ctx, err));
  }

  private static String contentDisposition(String filename) {
    String ascii = filename.replaceAll("[^\\x20-\\x7E]", "_").replace("\"", "_").replace("\\", "_");
    String encoded = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  private void forward(RoutingContext ctx, String address, JsonObject request) {
    bus.<JsonObject>request(address, request)
        .onSuccess(reply -> json(ctx, 200, reply.body()))
        .onFailure(err -> fail(ctx, err));
  }

  private static JsonObject taskRef(RoutingContext ctx) {
    return new JsonObject().put("task_id", ctx.pathParam("id"));
  }

  private void failure(RoutingContext ctx) {
    if (ctx.failure() != null) {
      fail(ctx, ctx.failure());
    } else if (ctx.statusCode() == 413) {
      fail(ctx, ErrorCode.TOO_LARGE.error("the upload is larger than " + config.upload().maxBytes() + " bytes (upload.maxBytes)"));
    } else {
      ErrorCode code = ErrorCode.fromStatus(ctx.statusCode());
      fail(ctx, code.error(code == ErrorCode.INTERNAL ? "request failed" : code.code().replace('_', ' ')));
    }
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    TransliveException e = ErrorCode.of(err);
    if (e.code() == ErrorCode.INTERNAL) {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), err);
    }
    if (ctx.response().ended()) {
      return;
    }
    if (e.code() == ErrorCode.TOO_MANY && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", "1");
    }
    json(ctx, e.code().status(), ErrorCode.body(e));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.toBuffer());
  }
}
