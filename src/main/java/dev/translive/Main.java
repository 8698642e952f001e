package dev.translive;

import dev.translive.config.ConfigLoader;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Translive on one machine with the configuration from conf/config.json and the environment. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    ConfigLoader.load(vertx)
        .compose(config -> Translive.deploy(vertx, config))
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
