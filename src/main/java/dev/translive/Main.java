package dev.translive;

import dev.translive.cluster.ClusterSetup;
import dev.translive.config.AppConfig;
import dev.translive.config.ConfigLoader;
import dev.translive.ops.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Translive with the configuration from conf/config.json and the environment: on one
 * machine, or as a node of a Hazelcast cluster when {@code cluster.enabled} is true.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // Config is read with a throwaway Vert.x: whether the real one is clustered depends on it.
    Vertx reader = Vertx.vertx();
    AppConfig config;
    try {
      config = ConfigLoader.load(reader).await();
    } catch (Exception e) {
      LOG.error("Cannot read the configuration: {}", e.getMessage());
      System.exit(1);
      return;
    } finally {
      // Closed only after the result arrived: closing first would stop the loop that delivers it.
      reader.close();
    }
    LOG.info("Data in {}; logs in {}", config.dataDir().toAbsolutePath(), java.nio.file.Path.of(
        ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).getProperty("LOG_DIR")).toAbsolutePath());
    // One registry for the Vert.x built-ins (HTTP, event bus, pools, JVM) and Translive's own meters.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    Future<Vertx> started = config.cluster().enabled()
        ? ClusterSetup.clusteredVertx(builder, options, config.cluster())
        : Future.succeededFuture(builder.with(options).build());
    started
        .compose(vertx -> Translive.deploy(vertx, config, new ServiceMetrics(registry))
            .onFailure(err -> vertx.close()))
        .onSuccess(app -> {
          LOG.info("Translive ready{} (roles {}, engine {})", app.httpPort() > 0
                  ? " on http://" + config.http().host() + ":" + app.httpPort() + "/" : "",
              config.roles(), app.engines().defaultEngineId());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> app.undeploy().eventually(app.vertx()::close)
              .toCompletionStage().toCompletableFuture().join()));
        })
        .onFailure(err -> {
          LOG.error("Translive failed to start: {}", err.getMessage(), err);
          System.exit(1);
        });
  }
}
