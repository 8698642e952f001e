package dev.translive.translator;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs documents through the openai engine against a {@link FakeOpenAi} whose time grows with the
 * words it writes, and compares what a real bridge client was told with what then happened: each
 * running ETA from 25% progress on against the real remaining time (as a share of the task's
 * duration), the largest rise of an ETA between two updates, and each queued wait as first shown
 * once a task of the engine had run 5 s against the real start. Shared by EtaTruthTest and the
 * eta benchmark.
 */
public final class EtaTruth {
  /** The fake's latency: a base per request and a cost per word written. */
  public static final long BASE_MS = 20;
  public static final double MS_PER_WORD = 5;

  /** One queued wait: shown, and the real wait from the moment it was shown. */
  public record Wait(String taskId, double shown, double real) {
    public double error() {
      return Math.abs(shown - real) / real;
    }
  }

  /** What was measured; {@code errors} sorted ascending. */
  /**
   * {@code ranges}: progress updates that carried eta_low/eta_high; {@code badRanges}: those whose
   * range did not hold eta_seconds.
   */
  public record Result(List<Double> errors, double maxRise, List<Wait> waits, List<String> failures, int ranges,
      List<String> badRanges) {
    public double median() {
      return errors.isEmpty() ? Double.NaN : errors.get(errors.size() / 2);
    }

    public double p90() {
      return errors.isEmpty() ? Double.NaN : errors.get((int) Math.floor(errors.size() * 0.9));
    }
  }

  private EtaTruth() {}

  public static Map<String, Object> openAi(FakeOpenAi fake, int concurrency) {
    return Map.of("engine", "openai", "engines.openai", new JsonObject().put("baseUrl", fake.baseUrl())
        .put("model", "fake-1").put("batchSize", 4).put("maxConcurrency", 4), "queue.concurrency", concurrency);
  }

  /** Submits {@code documents} (name to content) at once, in order, and measures until all ended. */
  public static Result run(Vertx vertx, Path dataDir, Map<String, String> documents, int concurrency, int timeoutSeconds)
      throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, BASE_MS, MS_PER_WORD, 4).await(5, TimeUnit.SECONDS);
    TestServer server = null;
    try {
      server = TestServer.start(vertx, dataDir, openAi(fake, concurrency)).await(20, TimeUnit.SECONDS);
      BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
      List<String> ids = new ArrayList<>();
      for (Map.Entry<String, String> d : documents.entrySet()) {
        ids.add(server.submitText(d.getKey(), d.getValue()).await(30, TimeUnit.SECONDS).getString("task_id"));
      }
      List<String> failures = new ArrayList<>();
      for (String id : ids) {
        JsonObject done = watcher.await(BridgeClient.completedOf(id)).await(timeoutSeconds, TimeUnit.SECONDS).body();
        if (!"completed".equals(done.getJsonObject("data").getString("status"))) {
          failures.add(id + " ended " + done.encode());
        }
      }
      Result result = measure(watcher, ids, failures);
      watcher.close();
      return result;
    } finally {
      if (server != null) {
        server.stop().await(10, TimeUnit.SECONDS);
      }
      fake.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static Result measure(BridgeClient watcher, List<String> ids, List<String> failures) {
    List<Double> errors = new ArrayList<>();
    double maxRise = 0;
    int ranges = 0;
    List<String> badRanges = new ArrayList<>();
    for (String id : ids) {
      Frame started = started(watcher, id);
      Frame completed = watcher.frames.stream().filter(BridgeClient.completedOf(id)).findFirst().orElseThrow();
      double duration = (completed.receivedAt() - started.receivedAt()) / 1000.0;
      Double previous = null;
      for (Frame f : watcher.ofTask(id)) {
        JsonObject d = f.body().getJsonObject("data");
        if ("progress_update".equals(f.type()) && d.getValue("eta_low") != null) {
          ranges++;
          if (!(d.getDouble("eta_low") <= d.getDouble("eta_seconds") && d.getDouble("eta_seconds") <= d.getDouble("eta_high"))) {
            badRanges.add(d.encode());
          }
        }
        if (!"progress_update".equals(f.type()) || d.getDouble("progress") < 0.25 || !"translating".equals(d.getString("stage"))) {
          continue;
        }
        double eta = d.getDouble("eta_seconds");
        double truth = (completed.receivedAt() - f.receivedAt()) / 1000.0;
        errors.add(Math.abs(eta - truth) / duration);
        if (previous != null && previous > 0) {
          maxRise = Math.max(maxRise, eta / previous - 1);
        }
        previous = eta;
      }
    }
    Collections.sort(errors);
    List<Wait> waits = new ArrayList<>();
    Frame firstStart = watcher.frames.stream().filter(f -> "task_started".equals(f.type())).findFirst().orElseThrow();
    for (String id : ids) {
      Frame shown = watcher.frames.stream()
          .filter(f -> "queue_update".equals(f.type()) && f.receivedAt() >= firstStart.receivedAt() + 5000)
          .filter(f -> queuedEntry(f, id) != null).findFirst().orElse(null);
      if (shown != null) {
        double real = (started(watcher, id).receivedAt() - shown.receivedAt()) / 1000.0;
        waits.add(new Wait(id, queuedEntry(shown, id).getDouble("wait_seconds"), real));
      }
    }
    return new Result(errors, maxRise, waits, failures, ranges, badRanges);
  }

  private static Frame started(BridgeClient watcher, String id) {
    return watcher.frames.stream().filter(f -> "task_started".equals(f.type()) && id.equals(f.body().getString("task_id")))
        .findFirst().orElseThrow();
  }

  private static JsonObject queuedEntry(Frame queueUpdate, String taskId) {
    JsonArray queued = queueUpdate.body().getJsonObject("data").getJsonArray("queued");
    for (int i = 0; i < queued.size(); i++) {
      if (taskId.equals(queued.getJsonObject(i).getString("task_id"))) {
        return queued.getJsonObject(i);
      }
    }
    return null;
  }
}
