package dev.translive.engine;

import static dev.translive.engine.FakeHttpBackend.await;
import static dev.translive.engine.FakeHttpBackend.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The apertium-apy engine against a real APy server from Debian's apertium-apy package with the
 * eng-spa pair. Missing software is a failure, not a skip: CI installs it.
 */
@ExtendWith(VertxExtension.class)
class ApertiumApyEngineTest {
  private static Process apy;
  private static String url;
  private static Path log;

  @BeforeAll
  static void startApy() throws Exception {
    Path executable = onPath("apertium-apy");
    if (executable == null) {
      fail("apertium-apy is not installed (apt-get install apertium-apy apertium-eng-spa); this test needs a real APy server");
    }
    if (!Files.isDirectory(Path.of("/usr/share/apertium/modes"))) {
      fail("no Apertium language pairs in /usr/share/apertium/modes (apt-get install apertium-eng-spa)");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    url = "http://127.0.0.1:" + port;
    log = Files.createTempFile("apertium-apy", ".log");
    apy = new ProcessBuilder(executable.toString(), "-p", String.valueOf(port), "/usr/share/apertium")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    waitForListPairs();
  }

  @AfterAll
  static void stopApy() throws Exception {
    if (apy != null) {
      // APy runs translation pipelines as child processes; stop them with it.
      apy.descendants().forEach(ProcessHandle::destroy);
      apy.destroy();
      if (!apy.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        apy.destroyForcibly();
      }
    }
  }

  private static void waitForListPairs() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!apy.isAlive()) {
        fail("apertium-apy exited with " + apy.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + "/listPairs"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    fail("apertium-apy did not answer /listPairs within 60 s: " + Files.readString(log));
  }

  private static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void listsPairsAndTranslatesEnglishToSpanish(Vertx vertx) {
    TranslationEngine engine = new ApertiumApyEngine(vertx, new JsonObject().put("url", url));
    try {
      await(engine.start());
      assertTrue(engine.supports("en", "es"), "pairs: " + engine.languagePairs());
      assertTrue(engine.supports("es", "en"), "pairs: " + engine.languagePairs());

      List<String> output = await(engine.translate(
          List.of("Hello world", "", "The house is red.", "I like the green apples."), "en", "es"));

      assertEquals(4, output.size());
      assertTrue(output.get(0).toLowerCase(Locale.ROOT).contains("hola")
          && output.get(0).toLowerCase(Locale.ROOT).contains("mundo"), output.get(0));
      assertEquals("", output.get(1));
      assertTrue(output.get(2).toLowerCase(Locale.ROOT).contains("casa"), output.get(2));
      assertTrue(output.get(3).contains("manzanas"), output.get(3));
      assertFalse(String.join(" ", output).contains("*"), "unknown-word marks must be removed: " + output);
    } finally {
      engine.close();
    }
  }

  @Test
  void removesUnknownWordMarksAndRejectsUninstalledPairs(Vertx vertx) {
    TranslationEngine engine = new ApertiumApyEngine(vertx, new JsonObject().put("url", url));
    try {
      await(engine.start());
      String output = await(engine.translate(List.of("The zorblaxian house"), "en", "es")).get(0);
      assertTrue(output.contains("zorblaxian") && !output.contains("*"), output);

      Throwable failure = awaitFailure(engine.translate(List.of("Hello"), "en", "ja"));
      assertEquals("apertium-apy: no installed pair en-ja", failure.getMessage());
    } finally {
      engine.close();
    }
  }

  @Test
  void isUnavailableWithoutUrl(Vertx vertx) {
    TranslationEngine engine = new ApertiumApyEngine(vertx, new JsonObject());
    assertFalse(engine.available());
    assertEquals("set TRANSLIVE_APY_URL", engine.unavailableReason());
    assertTrue(engine.languagePairs().isEmpty());
    engine.close();
  }

  @Test
  void mapsLanguageCodes() {
    assertEquals("eng", ApertiumLanguages.toApertium("en"));
    assertEquals("spa", ApertiumLanguages.toApertium("es"));
    assertEquals("glg", ApertiumLanguages.toApertium("gl"));
    assertEquals("en", ApertiumLanguages.toIso("eng"));
    assertEquals("en", ApertiumLanguages.toIso("eng_US"));
    assertEquals("pt", ApertiumLanguages.toIso("por_BR"));
    assertEquals("ca", ApertiumLanguages.toIso("cat"));
    assertEquals(null, ApertiumLanguages.toIso("xyz"));
  }
}
