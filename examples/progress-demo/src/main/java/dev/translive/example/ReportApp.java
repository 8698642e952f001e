package dev.translive.example;

import dev.translive.progress.BridgeGroup;
import dev.translive.progress.BridgeMetrics;
import dev.translive.progress.BridgeOptions;
import dev.translive.progress.ProgressBridge;
import dev.translive.progress.ProgressBroadcaster;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A report generator with nothing to do with translation: jobs of N steps run one at a time, and
 * every browser watches them live through the Translive progress layer (the bridge, the rate cap,
 * the snapshot on connect and progress_client.js all come from it).
 */
public final class ReportApp extends VerticleBase {
  private final int port;
  private final BridgeOptions bridgeOptions;
  private ProgressBridge bridge;
  private final long stepMs;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private ProgressBroadcaster progress;
  private Job current;
  private HttpServer server;

  private record Job(String name, int steps) {}

  public ReportApp(int port, BridgeOptions bridgeOptions, long stepMs) {
    this.port = port;
    this.bridgeOptions = bridgeOptions;
    this.stepMs = stepMs;
  }

  public static void main(String[] args) {
    Vertx.vertx().deployVerticle(new ReportApp(8090, new BridgeOptions(), 500))
        .onSuccess(id -> System.out.println("Report demo on http://127.0.0.1:8090/"));
  }

  @Override
  public Future<?> start() {
    progress = new ProgressBroadcaster(vertx, bridgeOptions, new SeqClock());
    Router router = Router.router(vertx);
    router.post("/jobs").handler(ctx -> {
      String name = ctx.request().getParam("name", "report.pdf");
      int steps = Integer.parseInt(ctx.request().getParam("steps", "20"));
      waiting.add(new Job(name, steps));
      publishQueue();
      runNext();
      ctx.response().setStatusCode(202).end(new JsonObject().put("queued", waiting.size()).toBuffer());
    });
    // The polling fallback of progress_client.js reads this when the bridge cannot connect.
    router.get("/api/queue").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(progress.snapshot().toBuffer()));
    // progress_client.js learns the bridge's path and addresses here.
    router.get("/api/bridge").handler(ctx -> ctx.json(ProgressBridge.describe("/eventbus", bridgeOptions)));
    ProgressBridge.mountClient(router);
    Future<ProgressBridge> bridge = ProgressBridge.mount(vertx, router, "/eventbus", bridgeOptions,
        new BridgeGroup(BridgeMetrics.none()), ProgressBridge.CLIENT_PATH + "/vendor/sockjs.min.js");
    router.route().handler(StaticHandler.create("webroot"));
    return progress.start()
        .compose(v -> bridge)
        .compose(b -> {
          this.bridge = b;
          return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
        })
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    // The bridge's and the broadcaster's consumers go with the verticle.
    return Future.all(bridge == null ? Future.succeededFuture() : bridge.close(), progress.stop());
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void runNext() {
    if (current != null || waiting.isEmpty()) {
      return;
    }
    current = waiting.poll();
    String id = progress.startTask(current.name(), current.steps());
    publishQueue();
    step(id, current, 0);
  }

  private void step(String id, Job job, int done) {
    if (done == job.steps()) {
      progress.completeTask(id, true, "Report ready");
      current = null;
      publishQueue();
      runNext();
      return;
    }
    double remaining = (job.steps() - done) * stepMs / 1000.0;
    progress.updateProgress(id, done / (double) job.steps(), Stage.TRANSLATING, "Rendering page " + (done + 1) + "/" + job.steps(),
        done, job.steps(), remaining);
    vertx.setTimer(stepMs, t -> step(id, job, done + 1));
  }

  private void publishQueue() {
    List<ProgressBroadcaster.QueueEntry> running = current == null ? List.of()
        : List.of(new ProgressBroadcaster.QueueEntry("current", current.name(), 0, null));
    List<ProgressBroadcaster.QueueEntry> queued = waiting.stream()
        .map(j -> new ProgressBroadcaster.QueueEntry(j.name(), j.name(), 0, j.steps() * stepMs / 1000.0)).toList();
    progress.updateQueue(running, queued);
  }
}
