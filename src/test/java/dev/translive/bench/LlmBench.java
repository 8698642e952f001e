package dev.translive.bench;

import dev.translive.support.FakeOpenAi;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3, LLM path: the openai engine against {@link FakeOpenAi} (fixed latency L, at most C
 * requests at once) on a task of N distinct segments in batches of B. No schedule can beat
 * N/(B×C)×L, so measured/ideal is what batching, the request throttle and the pipeline cost.
 *
 * <p>Runs with the engine's defaults (no request rate limit since requestsPerSecond defaults to 0; three
 * times, median), and once with requestsPerSecond 10, the former default, so its cost stays visible.
 *
 * <p>Environment: BENCH_LLM_SEGMENTS (2000), BENCH_LLM_LATENCY_MS (200), BENCH_LLM_CONCURRENCY (8),
 * BENCH_LLM_BATCH (20).
 */
public final class LlmBench {
  public static void main(String[] args) throws Exception {
    int segments = intEnv("BENCH_LLM_SEGMENTS", 2000);
    int latencyMs = intEnv("BENCH_LLM_LATENCY_MS", 200);
    int concurrency = intEnv("BENCH_LLM_CONCURRENCY", 8);
    int batch = intEnv("BENCH_LLM_BATCH", 20);
    double ideal = segments / (double) (batch * concurrency) * latencyMs / 1000.0;
    // Whole rounds: the last round of requests takes a full L even when it is not full.
    double idealRounds = Math.ceil(segments / (double) batch / concurrency) * latencyMs / 1000.0;
    StringBuilder doc = new StringBuilder();
    for (int i = 1; i <= segments; i++) {
      doc.append("Segment ").append(i).append(": the quarterly report mentions item ").append(i * 7919 % 10007).append(".\n");
    }

    // The fake backend runs in its own Vert.x so its timers do not share event loops with the service.
    Vertx backendVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    FakeOpenAi fake = FakeOpenAi.start(backendVertx, latencyMs, concurrency).await(10, TimeUnit.SECONDS);
    List<JsonObject> runs = new ArrayList<>();
    try {
      // The defaults are repeated: on a shared machine a single 3-second run is noisy.
      for (String rateLimit : List.of("10", "default", "default", "default")) {
        Map<String, Object> overrides = new HashMap<>(Map.of(
            "engine", "openai",
            "engines.openai.baseUrl", fake.baseUrl(),
            "engines.openai.model", "fake-model",
            "engines.openai.batchSize", batch,
            "engines.openai.maxConcurrency", concurrency));
        if (!rateLimit.equals("default")) {
          overrides.put("engines.openai.requestsPerSecond", Double.parseDouble(rateLimit));
        }
        int requestsBefore = fake.requests.get();
        fake.maxActive.set(0);
        try (InProcessService service = InProcessService.start("llm", overrides)) {
          JsonObject done = service.runToCompletion("llm-" + runs.size() + ".txt", Buffer.buffer(doc.toString()), "openai", 600);
          JsonObject history = service.historyEntry(done.getString("task_id"));
          runs.add(new JsonObject().put("requests_per_second_setting", rateLimit)
              .put("submit_to_completed_seconds", done.getDouble("elapsed_seconds"))
              .put("translate_seconds", history.getDouble("translate_seconds"))
              .put("requests", fake.requests.get() - requestsBefore)
              .put("max_concurrent_requests", fake.maxActive.get()));
        }
        // A new data dir each time, so the second run remembers nothing of the first.
        System.out.println("llm run: " + runs.get(runs.size() - 1).encode());
      }
    } finally {
      fake.close().await(10, TimeUnit.SECONDS);
      backendVertx.close().await(10, TimeUnit.SECONDS);
    }

    JsonObject limited = runs.get(0);
    List<JsonObject> defaults = new ArrayList<>(runs.subList(1, runs.size()));
    defaults.sort(java.util.Comparator.comparingDouble(run -> run.getDouble("submit_to_completed_seconds")));
    JsonObject byDefault = defaults.get(defaults.size() / 2); // the median run
    double measured = byDefault.getDouble("submit_to_completed_seconds");
    double measuredLimited = limited.getDouble("submit_to_completed_seconds");
    BenchResult r = new BenchResult("llm", "LLM path: " + String.format("%,d", segments) + " segments, "
        + latencyMs + " ms latency, " + concurrency + " at once, batches of " + batch);
    r.config.put("segments", segments).put("latency_ms", latencyMs).put("backend_concurrency", concurrency)
        .put("batch_size", batch).put("engine_max_concurrency", concurrency);
    r.info("ideal N/(B×C)×L", ideal, "s")
        .info("ideal in whole rounds ⌈N/B/C⌉×L", idealRounds, "s")
        .metric("measured / ideal (engine defaults: no rate limit; median of 3)", "≤ 1.15", measured / ideal, "",
            measured / ideal <= 1.15)
        .info("  measured, submit to task_completed", measured, "s")
        .info("  translating stage only", byDefault.getDouble("translate_seconds"), "s")
        .info("  most requests in flight at the backend", byDefault.getInteger("max_concurrent_requests"), "")
        .info("measured / ideal (requestsPerSecond 10, the former default)", measuredLimited / ideal, "")
        .info("  measured, submit to task_completed", measuredLimited, "s")
        .info("  translating stage only", limited.getDouble("translate_seconds"), "s");
    r.note("Same task every time (new data dir, so nothing is remembered); only engines.openai.requestsPerSecond differs.");
    r.raw.put("ideal_seconds", ideal).put("ideal_whole_rounds_seconds", idealRounds).put("runs", new JsonArray(runs));
    r.chart(Svg.bars("2,000 segments through the openai engine", "seconds",
        List.of("ideal", "whole rounds", "defaults (no rate limit)", "10 req/s (former default)"),
        new double[] {ideal, idealRounds, measured, measuredLimited}, ideal * 1.15));
    r.write();
    System.exit(0);
  }

  private static int intEnv(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
