package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class EtaAccuracyTest {
  @TempDir Path dataDir;

  /**
   * An engine of known pace (25 ms a segment) whose pace the service is not told, and a default
   * prior ten times too slow: by half-way the ETA must be within 20% of the real remaining time.
   */
  @Test
  void runningEtaAtHalfWayIsWithinTwentyPercentOfTheTruth(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 25, "engines.demo.batchSize", 1,
        "engines.demo.advertisePace", false, "queue.defaultSecondsPerSegment", 0.25)).await(20, TimeUnit.SECONDS);
    BridgeClient watcher = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    String id = server.submitText("paced.txt", TestServer.sentences(240)).await(5, TimeUnit.SECONDS).getString("task_id");
    Frame done = watcher.await(BridgeClient.completedOf(id)).await(60, TimeUnit.SECONDS);

    List<Frame> progress = watcher.ofTask(id).stream().filter(f -> "progress_update".equals(f.type())).toList();
    Frame first = progress.get(0);
    assertNotNull(first.body().getJsonObject("data").getDouble("eta_seconds"), "an estimate exists from the start");
    Frame half = progress.stream().filter(f -> data(f).getDouble("progress") >= 0.5).findFirst().orElseThrow();
    double eta = data(half).getDouble("eta_seconds");
    double truth = (done.receivedAt() - half.receivedAt()) / 1000.0;
    assertTrue(Math.abs(eta - truth) <= 0.2 * truth, "ETA " + eta + " s at half-way, truth " + truth + " s");

    // It counts down steadily: after a quarter of the work it never rises by more than 20%.
    Double previous = null;
    for (Frame f : progress) {
      JsonObject d = data(f);
      if (!"translating".equals(d.getString("stage")) || d.getDouble("progress") < 0.25) {
        continue;
      }
      double current = d.getDouble("eta_seconds");
      if (previous != null) {
        assertTrue(current <= previous * 1.2 + 0.3, "ETA jumped from " + previous + " to " + current);
      }
      previous = current;
    }
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void etaEstimatorBlendsThePriorIntoTheMeasuredPace() {
    long[] now = {0};
    EtaEstimator eta = new EtaEstimator(() -> now[0], 1.0, 100);
    assertEquals(100.0, eta.eta(), 0.001, "before any measurement the prior is the estimate");
    eta.translatingStarted(100);
    for (int i = 0; i < 50; i++) {
      now[0] += 100;
      eta.completed(1);
      eta.eta();
    }
    // 50 segments in 5 s: 0.1 s a segment, 5 s left; smoothing may lag a little behind.
    assertEquals(5.0, eta.eta(), 1.0);
  }

  private static JsonObject data(Frame f) {
    return f.body().getJsonObject("data");
  }
}
