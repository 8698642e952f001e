package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.FakeOpenAi;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a waiting user is told, checked against what then happened, from a real bridge client: a
 * mixed workload (a report with short headings first and long paragraphs after, an even text, an
 * html page) through the openai engine against a local LLM whose time grows with the words it
 * writes (4 slots), with no history, so every estimate comes from live measurement.
 */
@ExtendWith(VertxExtension.class)
class EtaTruthTest {
  /** The fake's latency: a base per request and a cost per word written. */
  static final long BASE_MS = 20;
  static final double MS_PER_WORD = 5;

  @TempDir Path dataDir;

  static Map<String, Object> openAi(FakeOpenAi fake) {
    return Map.of("engine", "openai", "engines.openai", new JsonObject().put("baseUrl", fake.baseUrl())
        .put("model", "fake-1").put("batchSize", 4).put("maxConcurrency", 4), "queue.concurrency", 1);
  }

  @Test
  void runningEtasAndQueuedWaitsMatchWhatHappened(Vertx vertx) throws Exception {
    FakeOpenAi fake = FakeOpenAi.start(vertx, BASE_MS, MS_PER_WORD, 4).await(5, TimeUnit.SECONDS);
    TestServer server = TestServer.start(vertx, dataDir, openAi(fake)).await(20, TimeUnit.SECONDS);
    try {
      BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
      Map<String, String> files = new LinkedHashMap<>();
      files.put("report.txt", Workloads.report(50, 90, 1));
      files.put("even.txt", Workloads.even(90, 40, 2));
      files.put("page.html", Workloads.html(30, 3));
      List<String> ids = new ArrayList<>();
      for (Map.Entry<String, String> f : files.entrySet()) {
        ids.add(server.submitText(f.getKey(), f.getValue()).await(10, TimeUnit.SECONDS).getString("task_id"));
      }
      for (String id : ids) {
        JsonObject done = watcher.await(BridgeClient.completedOf(id)).await(120, TimeUnit.SECONDS).body();
        assertTrue("completed".equals(done.getJsonObject("data").getString("status")), "task " + id + " ended " + done);
      }

      List<Double> errors = new ArrayList<>();
      for (String id : ids) {
        Frame started = watcher.await(f -> "task_started".equals(f.type()) && id.equals(f.body().getString("task_id")))
            .await(1, TimeUnit.SECONDS);
        Frame completed = watcher.await(BridgeClient.completedOf(id)).await(1, TimeUnit.SECONDS);
        double duration = (completed.receivedAt() - started.receivedAt()) / 1000.0;
        Double previous = null;
        for (Frame f : watcher.ofTask(id)) {
          JsonObject d = f.body().getJsonObject("data");
          if (!"progress_update".equals(f.type()) || d.getDouble("progress") < 0.25 || !"translating".equals(d.getString("stage"))) {
            continue;
          }
          double eta = d.getDouble("eta_seconds");
          double truth = (completed.receivedAt() - f.receivedAt()) / 1000.0;
          errors.add(Math.abs(eta - truth) / duration);
          if (previous != null) {
            assertTrue(eta <= previous * 1.2, id + ": ETA rose from " + previous + " to " + eta + " s");
          }
          previous = eta;
        }
      }
      assertFalse(errors.size() < 20, "too few running estimates to judge: " + errors.size());
      Collections.sort(errors);
      double median = errors.get(errors.size() / 2);
      double p90 = errors.get((int) Math.floor(errors.size() * 0.9));
      System.out.printf("EtaTruthTest: running ETA error over %d estimates: median %.1f%%, p90 %.1f%% of the task's duration%n",
          errors.size(), median * 100, p90 * 100);
      assertTrue(median <= 0.10, "median running-ETA error " + median);
      assertTrue(p90 <= 0.25, "p90 running-ETA error " + p90);

      // Queued waits, as first shown once the first task of the engine has run 5 s.
      Frame firstStart = watcher.await(f -> "task_started".equals(f.type())).await(1, TimeUnit.SECONDS);
      for (String id : ids.subList(1, ids.size())) {
        Frame shown = watcher.frames.stream()
            .filter(f -> "queue_update".equals(f.type()) && f.receivedAt() >= firstStart.receivedAt() + 5000)
            .filter(f -> queuedEntry(f, id) != null).findFirst().orElse(null);
        assertNotNull(shown, id + " was never shown waiting after the first task had run 5 s");
        double wait = queuedEntry(shown, id).getDouble("wait_seconds");
        Frame started = watcher.await(f -> "task_started".equals(f.type()) && id.equals(f.body().getString("task_id")))
            .await(1, TimeUnit.SECONDS);
        double truth = (started.receivedAt() - shown.receivedAt()) / 1000.0;
        System.out.printf("EtaTruthTest: %s shown a wait of %.1f s, started after %.1f s%n", id, wait, truth);
        assertTrue(Math.abs(wait - truth) <= 0.25 * truth, id + ": shown a wait of " + wait + " s, started after " + truth + " s");
      }
      watcher.close();
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
      fake.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static JsonObject queuedEntry(Frame queueUpdate, String taskId) {
    var queued = queueUpdate.body().getJsonObject("data").getJsonArray("queued");
    for (int i = 0; i < queued.size(); i++) {
      if (taskId.equals(queued.getJsonObject(i).getString("task_id"))) {
        return queued.getJsonObject(i);
      }
    }
    return null;
  }
}
