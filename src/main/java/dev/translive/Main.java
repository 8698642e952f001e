package dev.translive;

import dev.translive.config.ConfigLoader;
import dev.translive.ops.ServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Translive on one machine with the configuration from conf/config.json and the environment. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // One registry for the Vert.x built-ins (HTTP, event bus, pools, JVM) and Translive's own meters.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    ConfigLoader.load(vertx)
        .compose(config -> Translive.deploy(vertx, config, new ServiceMetrics(registry)))
        .onSuccess(app -> {
          LOG.info("Translive ready on http://{}:{}/ (engine {})", app.config().http().host(), app.httpPort(),
              app.engines().defaultEngineId());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> app.undeploy().eventually(vertx::close)));
        })
        .onFailure(err -> {
          LOG.error("Translive failed to start: {}", err.getMessage(), err);
          vertx.close();
          System.exit(1);
        });
  }
}
