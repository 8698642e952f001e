package dev.translive;

import dev.translive.progress.SeqClock;
import dev.translive.cluster.QueueOwnership;
import dev.translive.tcp.TcpBridgeVerticle;
import dev.translive.config.AppConfig;
import dev.translive.engine.EngineRegistry;
import dev.translive.format.FormatRegistry;
import dev.translive.progress.BridgeGroup;
import dev.translive.http.EdgeLimits;
import dev.translive.http.HttpVerticle;
import dev.translive.ops.HealthChecksFactory;
import dev.translive.ops.ServiceMetrics;
import dev.translive.queue.QueueVerticle;
import dev.translive.queue.Submission;
import dev.translive.queue.TaskIntake;
import dev.translive.store.PgStore;
import dev.translive.store.SqliteStore;
import dev.translive.store.TaskFiles;
import dev.translive.store.Store;
import dev.translive.translator.TranslatorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Wires the service: shared plug-in registries, then the queue owner, the translator and the HTTP
 * edge. Used by {@link Main} and by tests, which deploy the same verticles with their own config.
 */
public final class Translive {
  private final Vertx vertx;
  private final AppConfig config;
  private final EngineRegistry engines;
  private final Store store;
  private final ServiceMetrics metrics;
  private final BridgeGroup bridges;
  private final List<String> deployments = new ArrayList<>();
  private HttpVerticle firstHttp;
  private QueueOwnership ownership;
  private volatile String queueDeployment;

  private Translive(Vertx vertx, AppConfig config, EngineRegistry engines, Store store, ServiceMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.engines = engines;
    this.store = store;
    this.metrics = metrics;
    this.bridges = new BridgeGroup(metrics);
  }

  /** Deploys with meters of its own (for a Vert.x created without the Micrometer metrics factory). */
  public static Future<Translive> deploy(Vertx vertx, AppConfig config) {
    return deploy(vertx, config, ServiceMetrics.standalone());
  }

  public static Future<Translive> deploy(Vertx vertx, AppConfig config, ServiceMetrics metrics) {
    EngineRegistry engines = EngineRegistry.create(vertx, config);
    // SQLite on one machine; a cluster shares PostgreSQL, where uploads and results live too.
    Store store = "postgres".equals(config.storeType())
        ? new PgStore(vertx, config.postgresUrl(), config.memoryBound())
        : new SqliteStore(vertx, config.dataDir(), config.memoryBound());
    Translive app = new Translive(vertx, config, engines, store, metrics);
    return store.migrate()
        .compose(v -> engines.start())
        .compose(v -> app.deployAll())
        .map(v -> app);
  }

  private Future<Void> deployAll() {
    FormatRegistry formats = FormatRegistry.discover(config.formatLimits());
    SeqClock seq = new SeqClock();
    TaskFiles files = new TaskFiles(vertx, store, config.dataDir());
    TaskIntake intake = new TaskIntake(vertx, formats, engines, files, config.dataDir(),
        config.queue().defaultSourceLang(), config.queue().defaultTargetLang()).glossaries(config.glossaries());
    var health = HealthChecksFactory.create(vertx, config, store, engines);
    health.register("bridge", promise -> promise.complete(io.vertx.ext.healthchecks.Status.OK(bridges.backlog())));
    List<HttpVerticle> https = new ArrayList<>();
    EdgeLimits edgeLimits = new EdgeLimits(config, System::currentTimeMillis);
    Future<Void> chain = vertx.fileSystem().mkdirs(config.dataDir().resolve("incoming").toString());
    if (config.hasRole("translator")) {
      // Translators first, so tasks recovered by the queue owner find one at once.
      chain = chain.compose(v -> record(vertx.deployVerticle(new TranslatorVerticle(engines, formats, store, files, seq, metrics, config.memoryShared()))));
    }
    if (config.hasRole("queue")) {
      // A new epoch per take-over: an earlier owner still running somewhere gets its writes refused.
      ownership = new QueueOwnership(vertx, () -> store.claimNextOwnership()
          .compose(epoch -> vertx.deployVerticle(new QueueVerticle(config, store, epoch, new Submission(vertx, intake, files), seq, metrics,
              () -> ownership.ownerStopped())))
          .onSuccess(id -> queueDeployment = id));
      // A single node becomes the owner before it serves; a cluster node waits for its turn in the background.
      chain = chain.compose(v -> ownership.start(!config.cluster().enabled()));
    }
    if (config.hasRole("http")) {
      chain = chain.compose(v -> record(vertx.deployVerticle(() -> {
        HttpVerticle http = new HttpVerticle(config, intake, files, engines, bridges, edgeLimits, health,
            metrics.registry());
        synchronized (https) {
          https.add(http);
        }
        return http;
      }, new DeploymentOptions().setInstances(config.http().instances()))))
          .onSuccess(v -> firstHttp = https.get(0));
    }
    if (config.tcpBridgePort() > 0) {
      chain = chain.compose(v -> record(vertx.deployVerticle(new TcpBridgeVerticle(config.tcpBridgeHost(), config.tcpBridgePort()))));
    }
    return chain;
  }

  private Future<Void> record(Future<String> deployment) {
    return deployment.onSuccess(deployments::add).mapEmpty();
  }

  /** The HTTP port, or -1 when this process has no http role. */
  public int httpPort() {
    return firstHttp == null ? -1 : firstHttp.actualPort();
  }

  public AppConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public EngineRegistry engines() {
    return engines;
  }

  public Store store() {
    return store;
  }

  public BridgeGroup bridges() {
    return bridges;
  }

  public Future<Void> undeploy() {
    if (ownership != null) {
      ownership.stop();
    }
    if (queueDeployment != null) {
      deployments.add(0, queueDeployment);
    }
    List<Future<Void>> all = new ArrayList<>();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      // A fenced queue owner has already undeployed itself.
      if (vertx.deploymentIDs().contains(deployments.get(i))) {
        all.add(vertx.undeploy(deployments.get(i)));
      }
    }
    return Future.join(all).compose(v -> engines.close()).compose(v -> store.close());
  }
}
