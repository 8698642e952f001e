package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  @TempDir Path dataDir;

  @Test
  void runningEtasAndQueuedWaitsMatchWhatHappened(Vertx vertx) throws Exception {
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("report.txt", Workloads.report(50, 130, 1)); // long enough that the next wait, seen at 5 s, is several seconds
    documents.put("even.txt", Workloads.even(90, 40, 2));
    documents.put("page.html", Workloads.html(30, 3));
    EtaTruth.Result result = EtaTruth.run(vertx, dataDir, documents, 1, 120);
    assertEquals(List.of(), result.failures());

    System.out.printf("EtaTruthTest: running ETA error over %d estimates: median %.1f%%, p90 %.1f%% of the task's duration;"
        + " largest rise %.1f%%%n", result.errors().size(), result.median() * 100, result.p90() * 100, result.maxRise() * 100);
    assertFalse(result.errors().size() < 20, "too few running estimates to judge: " + result.errors().size());
    assertTrue(result.median() <= 0.10, "median running-ETA error " + result.median());
    assertTrue(result.p90() <= 0.25, "p90 running-ETA error " + result.p90());
    assertTrue(result.maxRise() <= 0.20, "an ETA rose by " + result.maxRise() * 100 + "% between two updates");

    // Early estimates come with a range (contract extension of 2026-11-29) that holds the estimate.
    assertTrue(result.ranges() > 0, "no progress_update carried eta_low/eta_high");
    assertEquals(List.of(), result.badRanges());

    // The two waiting documents were shown a wait once the first had run 5 s.
    assertEquals(2, result.waits().size(), "waits shown: " + result.waits());
    for (EtaTruth.Wait wait : result.waits()) {
      System.out.printf("EtaTruthTest: %s shown a wait of %.1f s, started after %.1f s%n", wait.taskId(), wait.shown(), wait.real());
      assertTrue(wait.error() <= 0.25, wait + ": off by " + wait.error() * 100 + "%");
    }
  }
}
