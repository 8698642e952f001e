package dev.translive.ops;

import dev.translive.config.AppConfig;
import dev.translive.engine.EngineRegistry;
import dev.translive.engine.TranslationEngine;
import dev.translive.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /health: the store answers, each configured engine can translate, and the disk has room. */
public final class HealthChecksFactory {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecksFactory.class);
  private HealthChecksFactory() {}

  public static HealthChecks create(Vertx vertx, AppConfig config, Store store, EngineRegistry engines) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("store", 5000, promise -> store.memorySize()
        .onSuccess(n -> promise.complete(Status.OK(new JsonObject().put("translation_memory_entries", n))))
        .onFailure(err -> promise.complete(down("store", "the database did not answer", err))));
    for (TranslationEngine engine : engines.configured()) {
      checks.register("engine-" + engine.id(), promise -> {
        JsonObject data = new JsonObject().put("default", engine.id().equals(engines.defaultEngineId()));
        promise.complete(engine.available() ? Status.OK(data) : Status.KO(data.put("reason", engine.unavailableReason())));
      });
    }
    checks.register("disk", 5000, promise -> vertx.fileSystem().fsProps(config.dataDir().toString())
        .onSuccess(props -> {
          JsonObject data = new JsonObject().put("usable_bytes", props.usableSpace())
              .put("minimum_bytes", config.upload().minFreeBytes());
          promise.complete(props.usableSpace() >= config.upload().minFreeBytes() ? Status.OK(data) : Status.KO(data));
        })
        .onFailure(err -> promise.complete(down("disk", "the free space of the data directory could not be read", err))));
    return checks;
  }

  /** A failed check: a plain reason in the reply, the exception only in the log. */
  private static Status down(String check, String reason, Throwable err) {
    LOG.warn("Health check {} failed: {}", check, err.toString());
    return Status.KO(new JsonObject().put("error", reason));
  }
}
