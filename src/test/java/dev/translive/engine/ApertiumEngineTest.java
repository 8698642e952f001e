package dev.translive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real Apertium (Debian's apertium and apertium-eng-spa), never a fake. */
@ExtendWith(VertxExtension.class)
class ApertiumEngineTest {
  @TempDir Path dataDir;

  @BeforeAll
  static void apertiumIsInstalled() {
    assertTrue(ApertiumEngine.onPath("lt-proc") && Path.of("/usr/share/apertium/modes/eng-spa.mode").toFile().exists(),
        "Apertium is required: apt-get install apertium apertium-eng-spa (make test installs it as root)");
  }

  @Test
  void translatesEnglishToSpanishKeepingOrderAndReservedCharacters(Vertx vertx) throws Exception {
    ApertiumEngine engine = new ApertiumEngine(vertx, new JsonObject());
    assertTrue(engine.supports("en", "es"));
    List<String> out = engine.translate(List.of("The house is red.", "I have two [big] dogs & a cat.", "Hello world"), "en", "es")
        .await(20, TimeUnit.SECONDS);
    assertEquals("La casa es roja.", out.get(0));
    assertTrue(out.get(1).contains("[") && out.get(1).contains("perros"), out.get(1));
    assertTrue(out.get(2).toLowerCase().contains("hola"), out.get(2));
    engine.close();
  }

  @Test
  void fiveThousandSegmentsGoThroughOneLongRunningProcess(Vertx vertx) throws Exception {
    ApertiumEngine engine = new ApertiumEngine(vertx, new JsonObject());
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      segments.add("The cat number " + i + " sleeps in the house.");
    }
    long before = countPipelines();
    List<String> out = engine.translate(segments, "en", "es").await(60, TimeUnit.SECONDS);
    assertEquals(5000, out.size());
    assertTrue(out.get(4999).contains("4999") && out.get(4999).contains("casa"), out.get(4999));
    // One pipeline: its lt-proc analyser is a single extra process, not 5,000.
    assertEquals(before + 1, countPipelines());
    engine.close();
  }

  /** This JVM's pipelines only: other test runs on the machine start their own. */
  private static long countPipelines() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("lt-proc")).orElse(false)
            && p.info().commandLine().map(c -> c.contains("eng-spa.automorf.bin")).orElse(false))
        .count();
  }

  @Test
  void theServiceTranslatesAnUploadIntoSpanishWithApertium(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engine", "auto")).await(20, TimeUnit.SECONDS);
    assertEquals("apertium", server.app.engines().defaultEngineId(), "auto picks apertium when installed");
    JsonObject task = server.submitText("greeting.txt", "The house is red.\n\nThe house is red.\nI like books.\n")
        .await(10, TimeUnit.SECONDS);
    JsonObject done = server.awaitFinished(task.getString("task_id")).await(30, TimeUnit.SECONDS);
    assertEquals("completed", done.getString("status"), done.encode());
    assertEquals(3, done.getInteger("total_segments"));
    assertEquals(2, done.getInteger("unique_segments"), "identical segments go to the engine once");
    String result = server.http.get("/api/tasks/" + task.getString("task_id") + "/result")
        .putHeader("X-Task-Token", task.getString("token")).send().await(5, TimeUnit.SECONDS).bodyAsString();
    assertEquals("La casa es roja.\n\nLa casa es roja.\nMe gustan los libros.\n", result);
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aHungPipelineFailsTheBatchClearlyInsteadOfStallingTheTask(Vertx vertx, @org.junit.jupiter.api.io.TempDir Path modes)
      throws Exception {
    // A "pair" whose pipeline reads everything and never answers, like a hung lt-proc.
    java.nio.file.Files.writeString(modes.resolve("eng-spa.mode"), "cat > /dev/null");
    ApertiumEngine engine = new ApertiumEngine(vertx, new JsonObject().put("modesDir", modes.toString()).put("batchTimeoutMs", 500));
    long started = System.currentTimeMillis();
    try {
      engine.translate(List.of("Hello."), "en", "es").await(10, TimeUnit.SECONDS);
      throw new AssertionError("a hung pipeline answered");
    } catch (Exception e) {
      assertTrue(e.getMessage().contains("no answer within 0.5 s"), e.getMessage());
    }
    assertTrue(System.currentTimeMillis() - started < 5000, "failed fast");
    engine.close();
  }
}
