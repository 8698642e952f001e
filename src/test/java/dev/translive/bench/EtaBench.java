package dev.translive.bench;

import dev.translive.translator.EtaTruth;
import dev.translive.translator.Workloads;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ETA and wait accuracy on a larger mixed workload than EtaTruthTest's: reports (short headings,
 * then long paragraphs), even texts and html pages, submitted at once with no history, through the
 * openai engine against a fake LLM whose time grows with the words it writes (4 slots), with 1 and
 * 2 tasks at once. Reports what a bridge client was told against what happened.
 *
 * <p>Environment: BENCH_ETA_ROUNDS (3: each round adds a report, an even text and a page).
 */
public final class EtaBench {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(System.getenv().getOrDefault("BENCH_ETA_ROUNDS", "3"));
    Map<String, String> documents = new LinkedHashMap<>();
    for (int i = 0; i < rounds; i++) {
      documents.put("report-" + i + ".txt", Workloads.report(50, 90 + 20 * i, 10 + i));
      documents.put("even-" + i + ".txt", Workloads.even(90, 30 + 10 * i, 20 + i));
      documents.put("page-" + i + ".html", Workloads.html(25 + 5 * i, 30 + i));
    }
    BenchResult r = new BenchResult("eta", "ETA and wait accuracy: " + documents.size()
        + " mixed documents, openai engine, fake LLM (" + EtaTruth.BASE_MS + " ms + " + EtaTruth.MS_PER_WORD + " ms a word, 4 slots)");
    JsonArray raw = new JsonArray();
    java.util.List<String> labels = new java.util.ArrayList<>();
    java.util.List<Double> values = new java.util.ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      for (int concurrency : new int[] {1, 2}) {
        Path dataDir = Files.createTempDirectory("translive-eta-bench");
        EtaTruth.Result result = EtaTruth.run(vertx, dataDir, documents, concurrency, 600);
        double worstWait = result.waits().stream().mapToDouble(EtaTruth.Wait::error).max().orElse(Double.NaN);
        double meanWait = result.waits().stream().mapToDouble(EtaTruth.Wait::error).average().orElse(Double.NaN);
        String at = " (" + concurrency + " at once)";
        if (concurrency == 1) {
          // The setting: one task at a time, the engine's 4 calls on the backend's 4 slots.
          r.metric("running ETA median error, from 25% progress" + at, "≤ 10%", result.median() * 100, "%", result.median() <= 0.10)
              .metric("running ETA p90 error" + at, "≤ 25%", result.p90() * 100, "%", result.p90() <= 0.25)
              .metric("largest ETA rise between two updates" + at, "≤ 20%", result.maxRise() * 100, "%", result.maxRise() <= 0.20)
              .metric("worst queued wait error, first shown after 5 s" + at, "≤ 25%", worstWait * 100, "%", worstWait <= 0.25);
        } else {
          // Two tasks share the engine's calls; the pace model does not yet know a task speeds up when the other ends.
          r.info("running ETA median error, from 25% progress" + at, result.median() * 100, "%")
              .info("running ETA p90 error" + at, result.p90() * 100, "%")
              .info("largest ETA rise between two updates" + at, result.maxRise() * 100, "%")
              .info("worst queued wait error, first shown after 5 s" + at, worstWait * 100, "%");
        }
        r.info("  mean queued wait error" + at, meanWait * 100, "%")
            .info("  running estimates judged" + at, result.errors().size(), "")
            .info("  queued waits judged" + at, result.waits().size(), "");
        labels.addAll(java.util.List.of("ETA median" + at, "ETA p90" + at, "worst wait" + at));
        values.addAll(java.util.List.of(result.median() * 100, result.p90() * 100, worstWait * 100));
        JsonArray waits = new JsonArray();
        result.waits().forEach(w -> waits.add(new JsonObject().put("task_id", w.taskId()).put("shown", w.shown()).put("real", w.real())));
        raw.add(new JsonObject().put("concurrency", concurrency).put("errors", new JsonArray(result.errors()))
            .put("max_rise", result.maxRise()).put("waits", waits).put("failures", new JsonArray(result.failures())));
      }
    } finally {
      vertx.close();
    }
    r.note("Errors of running ETAs are |ETA - real remaining| over the task's duration; waits are |shown - real| over the real wait.");
    r.note("With 2 at once both tasks share the engine's 4 calls: each measures half the engine's pace, and the model does not yet"
        + " expect the survivor to speed up when the other ends, so waits and late ETAs run long; targets apply to 1 at once.");
    r.raw.put("runs", raw);
    r.chart(Svg.bars("ETA and wait error (% of the task's duration, of the real wait)", "%", labels,
        values.stream().mapToDouble(Double::doubleValue).toArray(), 25.0));
    r.write();
    System.exit(r.passed() ? 0 : 1);
  }
}
