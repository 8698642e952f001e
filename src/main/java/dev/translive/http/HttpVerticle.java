package dev.translive.http;

import dev.translive.bus.Addresses;
import dev.translive.bus.ErrorCode;
import dev.translive.bus.Internal;
import dev.translive.bus.TransliveException;
import dev.translive.config.AppConfig;
import dev.translive.engine.EngineRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import dev.translive.progress.BridgeGroup;
import dev.translive.progress.ProgressBridge;
import dev.translive.queue.Submission;
import dev.translive.queue.TaskIntake;
import dev.translive.queue.ZipBatch;
import io.vertx.core.json.JsonArray;
import dev.translive.bus.TaskSpec;
import dev.translive.store.TaskFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: the REST API of CONTRACT.md, the static page, and the SockJS bridge at /eventbus.
 * It holds no task state; it asks the queue owner over the event bus.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  public static final String TOKEN_HEADER = "X-Task-Token";
  /** Where the browser bridge (SockJS) is mounted; the page learns it from GET /api/bridge. */
  public static final String BRIDGE_PATH = "/eventbus";
  /** The submitter for fair share (contract extension): the page sends its browser id. */
  public static final String CLIENT_ID_HEADER = "X-Client-Id";
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
  /** No inline script or style anywhere: the page loads only its own files, and is never framed. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  /** Form fields besides the files (languages, engine, options) that a request may carry. */
  private static final int MAX_OTHER_FORM_FIELDS = 16;
  /** Longest part header (its file name, mostly) the multipart decoder buffers. */
  private static final int MAX_PART_HEADER_BYTES = 16 * 1024;
  /**
   * Files of a failed or aborted upload may still be being decoded or opened (on a busy worker pool)
   * when it ends, and appear after the multipart decoder's own clean-up; they are removed at each of
   * these delays.
   */
  private static final long[] ABORTED_UPLOAD_CLEANUP_MS = {1000, 3000, 8000, 30_000};
  private static final long INCOMING_SWEEP_MS = 60_000;
  /** An operator's JSON body ({"priority": ...}) is tiny. */
  private static final int MAX_ADMIN_BODY_BYTES = 4096;

  private final AppConfig config;
  private final TaskIntake intake;
  private final TaskFiles files;
  private final EngineRegistry engines;
  private final BridgeGroup bridges;
  private final HealthChecks health;
  private final PrometheusMeterRegistry metricsRegistry;
  private ProgressBridge bridge;
  private final EdgeLimits limits;
  private final AppConfig.Edge edge;
  private final AdminGuard admin;
  /** The operator's actions and priority high: always the admin key, also on loopback. */
  private final AdminGuard operator;
  private Batches batches;
  /** Connections of this instance that have not yet sent a request's headers, with their close timer. */
  private final Map<HttpConnection, Long> awaitingHeaders = new HashMap<>();
  private HttpServer server;
  private EventBus bus;

  /**
   * @param bridges shared by every instance of this verticle, so the connection cap is per process
   * @param limits shared likewise, so the per-client limits are per process
   */
  public HttpVerticle(AppConfig config, TaskIntake intake, TaskFiles files, EngineRegistry engines, BridgeGroup bridges,
      EdgeLimits limits, HealthChecks health, PrometheusMeterRegistry metricsRegistry) {
    this.limits = limits;
    this.edge = config.edge();
    this.admin = AdminGuard.create(edge.adminKey(), config.http().host());
    this.operator = AdminGuard.operator(edge.adminKey());
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
    batches = new Batches(vertx);
    Router router = Router.router(vertx);
    router.route().handler(HttpVerticle::securityHeaders);
    router.post("/api/tasks").handler(this::admitUpload);
    router.post("/api/tasks").handler(BodyHandler.create()
        .setUploadsDirectory(config.dataDir().resolve("incoming").toString())
        .setBodyLimit(config.upload().maxBytes())
        .setDeleteUploadedFilesOnEnd(true)
        .setMergeFormAttributes(true));
    router.post("/api/tasks").handler(EstimateRoute.maxCostGuard(vertx, this::submitter, HttpVerticle::fail));
    router.post("/api/tasks").handler(this::submit);
    EstimateRoute.install(router, vertx, config, this::admitUpload, this::submitter, HttpVerticle::fail);
    router.get("/api/tasks/:id").handler(ctx -> forward(ctx, Addresses.TASKS_GET,
        taskRef(ctx).put("token", ctx.request().getHeader(TOKEN_HEADER))));
    router.delete("/api/tasks/:id").handler(ctx -> {
      if (AdminGuard.presented(ctx.request()) && ctx.request().getHeader(TOKEN_HEADER) == null) {
        asOperator(ctx, new Internal.Admin("cancel", ctx.pathParam("id"), null));
      } else {
        forward(ctx, Addresses.TASKS_CANCEL, taskRef(ctx).put("token", ctx.request().getHeader(TOKEN_HEADER)));
      }
    });
    router.post("/api/tasks/:id/pause").handler(ctx -> forward(ctx, Addresses.TASKS_PAUSE,
        taskRef(ctx).put("token", ctx.request().getHeader(TOKEN_HEADER))));
    router.post("/api/tasks/:id/resume").handler(ctx -> forward(ctx, Addresses.TASKS_RESUME,
        taskRef(ctx).put("token", ctx.request().getHeader(TOKEN_HEADER))));
    router.patch("/api/tasks/:id").handler(BodyHandler.create().setBodyLimit(MAX_ADMIN_BODY_BYTES));
    router.patch("/api/tasks/:id").handler(ctx -> {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (RuntimeException e) {
        body = null;
      }
      if (body == null || !(body.getValue("priority") instanceof String priority)) {
        fail(ctx, ErrorCode.BAD_REQUEST.error("send a JSON body {\"priority\": \"low\" | \"normal\" | \"high\"}"));
        return;
      }
      asOperator(ctx, new Internal.Admin("priority", ctx.pathParam("id"), priority));
    });
    router.get("/api/admin/tasks").handler(ctx -> asOperator(ctx, new Internal.Admin("tasks", null, null)));
    router.post("/api/admin/queue/pause").handler(ctx -> asOperator(ctx, new Internal.Admin("pause_queue", null, null)));
    router.post("/api/admin/queue/resume").handler(ctx -> asOperator(ctx, new Internal.Admin("resume_queue", null, null)));
    router.get("/api/tasks/:id/result").handler(this::result);
    router.get("/api/batches/:id").handler(this::batchStatus);
    router.get("/api/batches/:id/result").handler(this::batchResult);
    router.get("/api/queue").handler(ctx -> forward(ctx, Addresses.SNAPSHOT, new JsonObject()));
    router.get("/api/history").handler(ctx -> forward(ctx, Addresses.QUEUE_HISTORY, new JsonObject()));
    router.get("/api/engines").handler(ctx -> json(ctx, 200, engines.describe()));
    router.get("/api/bridge").handler(ctx -> json(ctx, 200, ProgressBridge.describe(BRIDGE_PATH, config.bridge())));
    // Liveness is open to anyone; the detail of /health and the metrics need the admin key when exposed.
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    var healthDetail = HealthCheckHandler.createWithHealthChecks(health);
    router.get("/health").handler(ctx -> {
      if (admin.allows(ctx.request())) {
        healthDetail.handle(ctx);
      } else {
        health.checkStatus().onComplete(r -> json(ctx, r.succeeded() && Boolean.TRUE.equals(r.result().getUp()) ? 200 : 503,
            new JsonObject().put("status", r.succeeded() && Boolean.TRUE.equals(r.result().getUp()) ? "UP" : "DOWN")));
      }
    });
    var scraping = PrometheusScrapingHandler.create(metricsRegistry);
    router.get("/metrics").handler(ctx -> {
      if (admin.allows(ctx.request())) {
        scraping.handle(ctx);
      } else {
        fail(ctx, ErrorCode.FORBIDDEN.error(AdminGuard.REFUSAL));
      }
    });

    // The live bridge comes from the progress layer; its routes go before the catch-all static handler.
    Future<ProgressBridge> bridgeReady = ProgressBridge.mount(vertx, router, BRIDGE_PATH, config.bridge(), bridges,
        "/vendor/sockjs.min.js").onSuccess(b -> bridge = b);
    router.route("/api/*").handler(ctx -> fail(ctx, ErrorCode.NOT_FOUND.error("no such API path: " + ctx.request().path())));
    router.route().handler(staticFiles());
    router.route().failureHandler(this::failure);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setPerMessageWebSocketCompressionSupported(config.bridgeCompression())
        .setPerFrameWebSocketCompressionSupported(config.bridgeCompression())
        .setMaxWebSocketFrameSize(config.bridge().getMaxFrameBytes())
        .setMaxWebSocketMessageSize(config.bridge().getMaxFrameBytes())
        // A connection with no traffic either way for this long is closed (the bridge heartbeats more often).
        .setIdleTimeout(edge.idleTimeoutSeconds())
        // Without h2c detection the connection handler runs at accept, so the header timer starts then.
        .setHttp2ClearTextEnabled(false)
        .setMaxFormFields(config.upload().maxFiles() + MAX_OTHER_FORM_FIELDS)
        .setMaxFormBufferedBytes(MAX_PART_HEADER_BYTES);
    IncomingSweeper sweeper = new IncomingSweeper(vertx, config.dataDir().resolve("incoming"),
        Math.max(IncomingSweeper.MIN_AGE_MS, 2_000L * edge.idleTimeoutSeconds()));
    long sweeps = vertx.setPeriodic(INCOMING_SWEEP_MS, id -> sweeper.sweep());
    return sweeper.sweep()
        .compose(v -> bridgeReady)
        .compose(v -> vertx.createHttpServer(options)
            .connectionHandler(this::connected)
            .requestHandler(request -> {
              headersArrived(request);
              router.handle(request);
            })
            .listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("Listening on http://{}:{}", config.http().host(), s.actualPort());
        })
        .onFailure(err -> vertx.cancelTimer(sweeps));
  }

  /**
   * A new connection: refused when its address has too many open already, else closed unless its
   * first request's headers arrive within http.headerTimeoutMs (later requests are bounded by the
   * idle timeout), so connections that never finish their headers cannot pile up.
   */
  private void connected(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    if (!limits.connections.tryOpen(address)) {
      refused("connections_per_address");
      connection.close();
      return;
    }
    if (edge.headerTimeoutMs() > 0) {
      awaitingHeaders.put(connection, vertx.setTimer(edge.headerTimeoutMs(), id -> {
        if (awaitingHeaders.remove(connection) != null) {
          refused("header_timeout");
          connection.close();
        }
      }));
    }
    connection.closeHandler(v -> {
      Long timer = awaitingHeaders.remove(connection);
      if (timer != null) {
        vertx.cancelTimer(timer);
      }
      limits.connections.closed(address);
    });
  }

  private void refused(String reason) {
    dev.translive.ops.ServiceMetrics.edgeRefused(metricsRegistry, reason);
  }

  private void headersArrived(HttpServerRequest request) {
    Long timer = awaitingHeaders.remove(request.connection());
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }

  /**
   * The page: from {@code http.webroot} when that directory exists (edit without rebuilding), else
   * the copy packaged in the jar, so the jar serves the page from whatever directory it starts in.
   */
  private StaticHandler staticFiles() {
    Path webroot = Path.of(config.http().webroot()).toAbsolutePath();
    if (java.nio.file.Files.isDirectory(webroot)) {
      LOG.debug("Page served from {}", webroot);
      return StaticHandler.create(FileSystemAccess.ROOT, webroot.toString()).setCachingEnabled(false);
    }
    LOG.debug("Page served from the jar ({} does not exist)", webroot);
    return StaticHandler.create(FileSystemAccess.RELATIVE, "webroot");
  }

  /** The bound port (the configured one, or the one picked when it was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  // ---- handlers --------------------------------------------------------------------------

  /**
   * Refuses an upload before its body is read: declared too large (413), too many files or bytes from
   * this client (429 with Retry-After), or too little disk (507).
   */
  private void admitUpload(RoutingContext ctx) {
    String declared = ctx.request().getHeader("Content-Length");
    long length = declared == null ? 0 : parseLength(declared);
    long maxBytes = config.upload().maxBytes();
    // A failed or aborted upload's temp files go. The list is read when each timer fires, not now: a
    // client that hangs up while the request is paused here ends it before its parts are even decoded.
    ctx.addEndHandler(done -> {
      if (done.failed() || ctx.response().getStatusCode() >= 400) {
        for (long delay : ABORTED_UPLOAD_CLEANUP_MS) {
          vertx.setTimer(delay, id -> discardUploads(ctx));
        }
      }
    });
    if (length > maxBytes) {
      refused("too_large");
      ctx.response().putHeader("Connection", "close");
      fail(ctx, ErrorCode.TOO_LARGE.error("the upload is " + Sizes.mb(length) + ", over the limit of " + Sizes.mb(maxBytes)));
      return;
    }
    String address = clientAddress(ctx);
    long wait = limits.files.tryAcquire(address, 1);
    if (wait > 0) {
      refused("files_per_client");
      ctx.response().putHeader("Connection", "close");
      tooMany(ctx, wait, "too many files from this client (the limit is " + config.upload().perClientPerMinute() + " a minute)");
      return;
    }
    if (length > 0 && !chargeBytes(ctx, address, length)) {
      limits.files.refund(address, 1);
      return;
    }
    ctx.request().pause();
    vertx.fileSystem().fsProps(config.dataDir().toString())
        .onSuccess(props -> {
          if (props.usableSpace() - length < config.upload().minFreeBytes()) {
            refused("low_disk");
            ctx.response().putHeader("Connection", "close");
            fail(ctx, ErrorCode.INSUFFICIENT_STORAGE.error("the server is low on disk space; try again later"));
          } else {
            ctx.request().resume();
            ctx.next();
          }
        })
        .onFailure(err -> fail(ctx, err));
  }

  /** Stops the request's uploads still being written (closing their files) and deletes them all. */
  private void discardUploads(RoutingContext ctx) {
    for (FileUpload upload : List.copyOf(ctx.fileUploads())) {
      try {
        upload.cancel();
      } catch (IllegalStateException notStreaming) {
        // Never started writing: nothing to stop.
      }
      vertx.fileSystem().delete(upload.uploadedFileName());
    }
  }

  /** Takes {@code bytes} from the client's hourly upload budget, or answers 429 and returns false. */
  private boolean chargeBytes(RoutingContext ctx, String address, long bytes) {
    if (limits.bytesPerHour <= 0) {
      return true;
    }
    long wait = limits.bytes.tryAcquire(address, bytes);
    if (wait == 0) {
      return true;
    }
    refused("bytes_per_client");
    ctx.response().putHeader("Connection", "close");
    tooMany(ctx, wait == Long.MAX_VALUE ? 3600 : wait, "this client has uploaded too much in the last hour (the limit is "
        + Sizes.mb(limits.bytesPerHour) + " an hour per client; this upload is " + Sizes.mb(bytes) + ")");
    return false;
  }

  private static void tooMany(RoutingContext ctx, long waitSeconds, String what) {
    ctx.response().putHeader("Retry-After", String.valueOf(waitSeconds));
    String when = waitSeconds >= 120 ? (waitSeconds + 59) / 60 + " min" : waitSeconds + " s";
    fail(ctx, ErrorCode.TOO_MANY.error(what + "; try again in " + when));
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The client's address: the peer, or what a trusted proxy says the peer forwarded for. */
  private String clientAddress(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    return limits.proxies.clientAddress(peer, request.headers().getAll("X-Forwarded-For"), request.headers().getAll("Forwarded"));
  }

  /** Who submits, for fair share: the browser id the page sends, else the client address. */
  /** Who submits this request, for fair share and for whose translation memory it reads. */
  private String submitter(RoutingContext ctx) {
    return submitter(ctx, clientAddress(ctx));
  }

  private String submitter(RoutingContext ctx, String address) {
    String id = ctx.request().getHeader(CLIENT_ID_HEADER);
    return id != null && CLIENT_ID.matcher(id).matches() ? "client:" + id : address;
  }

  private void submit(RoutingContext ctx) {
    List<FileUpload> glossaryParts = ctx.fileUploads().stream().filter(u -> GLOSSARY_PART.equals(u.name())).toList();
    List<FileUpload> uploads = ctx.fileUploads().stream().filter(u -> !GLOSSARY_PART.equals(u.name())).toList();
    if (glossaryParts.size() > 1) {
      fail(ctx, ErrorCode.BAD_REQUEST.error("send at most one 'glossary' part"));
      return;
    }
    if (uploads.isEmpty()) {
      fail(ctx, ErrorCode.BAD_REQUEST.error("send the document as a multipart/form-data part named 'file'"));
      return;
    }
    if (uploads.size() > config.upload().maxFiles()) {
      fail(ctx, tooManyFiles());
      return;
    }
    String address = clientAddress(ctx);
    // The per-client limit counts files: admission took one, the rest are taken now.
    long wait = uploads.size() > 1 ? limits.files.tryAcquire(address, uploads.size() - 1) : 0;
    if (wait > 0) {
      refused("files_per_client");
      tooMany(ctx, wait == Long.MAX_VALUE ? 60 : wait, uploads.size() + " files at once is more than this client may send now (the limit is "
          + config.upload().perClientPerMinute() + " files a minute)");
      return;
    }
    if (ctx.request().getHeader("Content-Length") == null
        && !chargeBytes(ctx, address, uploads.stream().mapToLong(FileUpload::size).sum())) {
      return;
    }
    var form = ctx.request().formAttributes();
    String client = submitter(ctx, address);
    String priority;
    try {
      priority = TaskSpec.priority(form.get("priority"));
    } catch (TransliveException e) {
      fail(ctx, e);
      return;
    }
    if ("high".equals(priority) && !operator.allows(ctx.request())) {
      fail(ctx, ErrorCode.FORBIDDEN.error(AdminGuard.HIGH_PRIORITY_REFUSAL));
      return;
    }
    glossary(glossaryParts).onFailure(err -> fail(ctx, err)).onSuccess(glossary -> submit(ctx, uploads, form, client, priority, glossary));
  }

  /** The multipart part naming a task's glossary (CSV or TSV of source and target terms). */
  private static final String GLOSSARY_PART = "glossary";

  /** The request's glossary (none when no part was sent); a 400 names what is wrong with it. */
  private Future<dev.translive.translator.Glossary> glossary(List<FileUpload> parts) {
    if (parts.isEmpty()) {
      return Future.succeededFuture(dev.translive.translator.Glossary.EMPTY);
    }
    FileUpload part = parts.get(0);
    if (part.size() > dev.translive.translator.Glossary.MAX_BYTES) {
      vertx.fileSystem().delete(part.uploadedFileName());
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("the glossary is " + part.size() + " bytes; the limit is "
          + dev.translive.translator.Glossary.MAX_BYTES + " bytes"));
    }
    return vertx.fileSystem().readFile(part.uploadedFileName())
        .map(bytes -> dev.translive.translator.Glossary.parse(bytes.getBytes()))
        .onComplete(ar -> vertx.fileSystem().delete(part.uploadedFileName()));
  }

  private void submit(RoutingContext ctx, List<FileUpload> uploads, io.vertx.core.MultiMap form, String client, String priority,
      dev.translive.translator.Glossary glossary) {
    List<Submission.Upload> received = new ArrayList<>();
    List<FileUpload> zips = new ArrayList<>();
    for (FileUpload upload : uploads) {
      if ("zip".equals(dev.translive.format.FormatRegistry.extension(upload.fileName()))) {
        zips.add(upload);
        continue;
      }
      received.add(new Submission.Upload(new TaskIntake.Request(upload.fileName(), form.get("source_lang"),
          form.get("target_lang"), form.get("engine"), Boolean.parseBoolean(form.get("bilingual")), client,
          form.get("output"), priority, glossary),
          Path.of(upload.uploadedFileName())));
    }
    Submission submission = new Submission(vertx, intake, files);
    Future<JsonObject> submitted = zips.isEmpty()
        ? submission.submitAll(received).map(tasks -> new JsonObject().put("tasks", tasks))
        : submitWithBatches(submission, received, zips, upload -> new TaskIntake.Request(upload, form.get("source_lang"),
            form.get("target_lang"), form.get("engine"), Boolean.parseBoolean(form.get("bilingual")), client,
            form.get("output"), priority, glossary));
    submitted
        .onSuccess(body -> {
          if (ctx.response().closed()) {
            // The client left (or idled out) before its 202: nobody holds these tokens, so the tasks go.
            submission.withdrawAll(body.getJsonArray("tasks"));
          } else {
            json(ctx, 202, body);
          }
        })
        .onFailure(err -> fail(ctx, err));
  }

  /**
   * An upload with .zip parts: every zip is opened first (one refused refuses the request, nothing
   * queued), then the plain files are queued all or nothing, then each zip's supported entries as a
   * batch (entries refused alone are listed as skipped). If a later step fails, the tasks already
   * queued are withdrawn.
   */
  private Future<JsonObject> submitWithBatches(Submission submission, List<Submission.Upload> plain, List<FileUpload> zips,
      java.util.function.Function<String, TaskIntake.Request> request) {
    Path dir = config.dataDir().resolve("incoming").resolve("zip-" + java.util.HexFormat.of().formatHex(TaskIntake.randomBytes(9)));
    AppConfig.Zip bounds = config.zip();
    ZipBatch.Limits limits = new ZipBatch.Limits(bounds.maxEntries(), bounds.maxBytes(), config.upload().maxBytes(), bounds.maxRatio());
    JsonArray queued = new JsonArray();
    JsonArray batchReplies = new JsonArray();
    return vertx.executeBlocking(() -> {
      List<ZipBatch.Expanded> opened = new ArrayList<>();
      for (int i = 0; i < zips.size(); i++) {
        Path into = java.nio.file.Files.createDirectories(dir.resolve(String.valueOf(i)));
        opened.add(ZipBatch.expand(Path.of(zips.get(i).uploadedFileName()), into, limits, intake::supports));
      }
      return opened;
    }, false).compose(opened -> submission.submitAll(plain).compose(tasks -> {
      queued.addAll(tasks);
      Future<Void> chain = Future.succeededFuture();
      for (ZipBatch.Expanded zip : opened) {
        chain = chain.compose(v -> {
          List<ZipBatch.Skipped> skipped = new ArrayList<>(zip.skipped());
          List<Submission.Upload> entries = zip.entries().stream()
              .map(e -> new Submission.Upload(request.apply(e.path()), e.file())).toList();
          return submission.submitBatch(entries, skipped).map(batchTasks -> {
            queued.addAll(batchTasks);
            batchReplies.add(batches.create(batchTasks, skipped));
            return null;
          });
        });
      }
      return chain.map(v -> new JsonObject().put("tasks", queued).put("batches", batchReplies))
          .onFailure(err -> submission.withdrawAll(queued));
    })).onComplete(ar -> vertx.fileSystem().deleteRecursive(dir.toString())
        .onFailure(err -> LOG.debug("Could not remove an opened zip: {}", err.getMessage())));
  }

  /** A batch's state from its tasks: files done and total, combined progress (by segments) and ETA. */
  private void batchStatus(RoutingContext ctx) {
    JsonObject batch;
    try {
      batch = batches.find(ctx.pathParam("id"));
    } catch (TransliveException e) {
      fail(ctx, e);
      return;
    }
    List<JsonObject> members = batch.getJsonArray("tasks").stream().map(JsonObject.class::cast).toList();
    List<Future<JsonObject>> lookups = members.stream().map(m -> bus.<JsonObject>request(Addresses.TASKS_GET,
        new JsonObject().put("task_id", m.getString("task_id")).put("token", m.getString("token")))
        .map(reply -> reply.body().put("path", m.getString("path")))).toList();
    Future.join(lookups)
        .onComplete(ar -> {
          JsonArray tasks = new JsonArray();
          int done = 0;
          int failed = 0;
          double segments = 0;
          double translated = 0;
          double eta = 0;
          for (int i = 0; i < members.size(); i++) {
            JsonObject t = lookups.get(i).succeeded() ? lookups.get(i).result() : null;
            if (t == null) {
              tasks.add(new JsonObject().put("task_id", members.get(i).getString("task_id")).put("status", "unknown"));
              continue;
            }
            String status = t.getString("status");
            done += "completed".equals(status) ? 1 : 0;
            failed += "failed".equals(status) || "cancelled".equals(status) ? 1 : 0;
            int total = t.getInteger("total_segments", 0);
            segments += total;
            translated += total * t.getDouble("progress", 0.0);
            if (!List.of("completed", "failed", "cancelled").contains(status)) {
              double wait = t.getDouble("wait_seconds") == null ? 0 : t.getDouble("wait_seconds");
              double left = t.getDouble("eta_seconds") == null ? 0 : t.getDouble("eta_seconds");
              eta = Math.max(eta, wait + left); // the batch ends when its last task does
            }
            tasks.add(new JsonObject().put("task_id", t.getString("task_id")).put("path", t.getString("path"))
                .put("status", status).put("progress", t.getDouble("progress")));
          }
          json(ctx, 200, new JsonObject().put("batch_id", batch.getString("batch_id")).put("files_total", members.size())
              .put("files_done", done).put("files_failed", failed)
              .put("progress", segments == 0 ? 0.0 : translated / segments)
              .put("eta_seconds", done + failed == members.size() ? 0.0 : eta)
              .put("tasks", tasks).put("skipped", batch.getJsonArray("skipped")));
        });
  }

  /** The finished results of a batch as one zip, each in its folder from the uploaded zip; 409 until one is done. */
  private void batchResult(RoutingContext ctx) {
    String token = ctx.request().getHeader(TOKEN_HEADER);
    JsonObject batch;
    try {
      batch = batches.authorize(ctx.pathParam("id"), token == null ? ctx.request().getParam("token") : token);
    } catch (TransliveException e) {
      fail(ctx, e);
      return;
    }
    List<JsonObject> members = batch.getJsonArray("tasks").stream().map(JsonObject.class::cast).toList();
    List<Future<Map.Entry<String, Path>>> results = members.stream().map(m -> bus.<JsonObject>request(Addresses.QUEUE_AUTHORIZE,
            new JsonObject().put("task_id", m.getString("task_id")).put("token", m.getString("token")))
        .compose(reply -> files.result(TaskSpec.fromJson(reply.body().getJsonObject("spec")))
            .map(path -> Map.entry(resultPath(m.getString("path"), reply.body().getString("filename")), path)))).toList();
    Path zip = config.dataDir().resolve("incoming").resolve("batch-" + java.util.HexFormat.of().formatHex(TaskIntake.randomBytes(9)));
    Future.join(results).transform(ignored -> {
      List<Map.Entry<String, Path>> ready = results.stream().filter(Future::succeeded).map(Future::result).toList();
      if (ready.isEmpty()) {
        return Future.<Void>failedFuture(ErrorCode.CONFLICT.error("no file of batch " + batch.getString("batch_id")
            + " is completed yet"));
      }
      return vertx.executeBlocking(() -> {
        try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
          java.util.Set<String> names = new java.util.HashSet<>();
          for (Map.Entry<String, Path> entry : ready) {
            String name = entry.getKey();
            for (int n = 2; !names.add(name); n++) {
              name = n + "-" + entry.getKey();
            }
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            java.nio.file.Files.copy(entry.getValue(), out);
            out.closeEntry();
          }
        }
        return null;
      }, false);
    }).onSuccess(v -> {
      ctx.addEndHandler(ended -> vertx.fileSystem().delete(zip.toString()));
      ctx.response().putHeader("Content-Disposition", contentDisposition(batch.getString("batch_id") + ".zip"))
          .putHeader("Content-Type", "application/zip").putHeader("Cache-Control", "no-store").sendFile(zip.toString());
    }).onFailure(err -> {
      vertx.fileSystem().delete(zip.toString());
      fail(ctx, err);
    });
  }

  /** A result's place in the batch zip: the uploaded entry's folder, the result's own file name. */
  private static String resultPath(String entryPath, String resultName) {
    String path = entryPath == null ? "" : entryPath.replace('\\', '/');
    int slash = path.lastIndexOf('/');
    return (slash < 0 ? "" : path.substring(0, slash + 1)) + resultName;
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

  /** An operator's action, once the admin key checks out. */
  private void asOperator(RoutingContext ctx, Internal.Admin action) {
    if (!operator.allows(ctx.request())) {
      refused("admin_key");
      fail(ctx, ErrorCode.FORBIDDEN.error(AdminGuard.OPERATOR_REFUSAL));
      return;
    }
    forward(ctx, Addresses.QUEUE_ADMIN, action.toJson());
  }

  private static JsonObject taskRef(RoutingContext ctx) {
    return new JsonObject().put("task_id", ctx.pathParam("id"));
  }

  private void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.POST && ctx.fileUploads().size() > config.upload().maxFiles()
        || failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooManyFormFieldsException) {
      fail(ctx, tooManyFiles());
    } else if (failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.TooLongFormFieldException) {
      fail(ctx, ErrorCode.BAD_REQUEST.error("a part of the upload has a header longer than " + MAX_PART_HEADER_BYTES / 1024
          + " KB (a file name that long, say); shorten the file name"));
    } else if (failure != null) {
      fail(ctx, failure);
    } else if (ctx.statusCode() == 413) {
      fail(ctx, ErrorCode.TOO_LARGE.error("the upload is larger than the limit of " + Sizes.mb(config.upload().maxBytes())));
    } else {
      ErrorCode code = ErrorCode.fromStatus(ctx.statusCode());
      fail(ctx, code.error(code == ErrorCode.INTERNAL ? "request failed" : code.code().replace('_', ' ')));
    }
  }

  /** The decoder stops reading at the field limit, so the count seen is only a lower bound. */
  private TransliveException tooManyFiles() {
    return ErrorCode.BAD_REQUEST.error("more than " + config.upload().maxFiles() + " files in one request; the limit is "
        + config.upload().maxFiles() + " files");
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    JsonObject body = ClientErrors.body(err, ctx.request().method().name(), ctx.request().path());
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    int status = ErrorCode.of(err).code().status();
    if (status == 429 && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", "1");
    }
    json(ctx, status, body);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.toBuffer());
  }
}
