package dev.translive.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2, pipeline: a 60,000-word English document through the service's apertium engine
 * (submit to task_completed) against {@code apertium eng-spa < same.txt} in the same run. The
 * ratio shows what the service adds on top of the engine: extraction, batching, memory, assembly.
 *
 * <p>Environment: BENCH_PIPELINE_WORDS (default 60000).
 */
public final class PipelineBench {
  private static final int ROUNDS = 3;

  public static void main(String[] args) throws Exception {
    int words = Integer.parseInt(System.getenv().getOrDefault("BENCH_PIPELINE_WORDS", "60000"));
    String document = EnglishText.document(words, 60_000);
    Path work = Files.createTempDirectory("translive-bench-pipeline-");
    Path input = work.resolve("document.txt");
    Files.writeString(input, document);
    System.out.printf("pipeline: %,d words in %,d sentences%n", EnglishText.wordCount(document), EnglishText.lineCount(document));

    // Three alternating rounds, medians compared: one pair of runs is at the mercy of other jobs on the machine.
    List<Double> cliRuns = new ArrayList<>();
    List<Double> serviceRuns = new ArrayList<>();
    List<Double> translateRuns = new ArrayList<>();
    JsonObject warmUp = null;
    JsonObject run = null;
    for (int round = 0; round < ROUNDS; round++) {
      cliRuns.add(apertiumCli(input, work.resolve("cli-" + round + ".txt")));
      // A new service (and data dir) each round, so its translation memory never answers for Apertium.
      try (InProcessService service = InProcessService.start("pipeline", Map.of("engine", "apertium"))) {
        // The pipeline process starts on first use and the JIT is cold; a running service has done both.
        warmUp = service.runToCompletion("warm-up.txt", Buffer.buffer(EnglishText.document(600, 7)), "apertium", 120);
        run = service.runToCompletion("document.txt", Buffer.buffer(document), "apertium", 600);
        serviceRuns.add(run.getDouble("elapsed_seconds"));
        translateRuns.add(service.historyEntry(run.getString("task_id")).getDouble("translate_seconds", Double.NaN));
      }
      System.out.printf("round %d: CLI %.2f s, service %.2f s%n", round + 1, cliRuns.get(round), serviceRuns.get(round));
    }
    double cli = median(cliRuns);
    double service = median(serviceRuns);
    double ratio = service / cli;

    BenchResult r = new BenchResult("pipeline", "Pipeline: 60,000 words through Apertium, service vs CLI");
    r.config.put("words", EnglishText.wordCount(document)).put("sentences", EnglishText.lineCount(document))
        .put("engine", "apertium").put("apertium_batch_size", 50).put("submitted_over", "event bus (in-process service)");
    r.info("apertium eng-spa CLI (median of " + ROUNDS + ")", cli, "s")
        .info("service, submit to task_completed (median of " + ROUNDS + ")", service, "s")
        .info("service, translating stage only (median)", median(translateRuns), "s")
        .metric("service / CLI", "≤ 1.25", ratio, "", ratio <= 1.25);
    r.note("CLI and service alternate for " + ROUNDS + " rounds; each round's service is new and first translates a"
        + " 600-word warm-up document, so its Apertium pipeline is running, as in a service that has served a task.");
    r.raw.put("cli_seconds", cliRuns).put("service_seconds", serviceRuns).put("translate_seconds", translateRuns)
        .put("warm_up_seconds", warmUp.getDouble("elapsed_seconds")).put("last_task_completed", run);
    r.chart(Svg.bars("60,000 words, English to Spanish", "seconds", List.of("apertium CLI", "service (submit to done)"),
        new double[] {cli, service}, cli * 1.25));
    r.write();
    System.exit(0);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** Wall time of {@code apertium eng-spa < input > output}. */
  private static double apertiumCli(Path input, Path output) throws Exception {
    long start = System.nanoTime();
    Process p = new ProcessBuilder("apertium", "eng-spa").redirectInput(input.toFile()).redirectOutput(output.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("apertium eng-spa exited with " + p.exitValue());
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
