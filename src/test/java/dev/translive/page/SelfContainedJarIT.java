package dev.translive.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar translive.jar} started, as a new user would, from a directory with nothing in it:
 * the page and the default config come from the jar, the data and logs go where start-up says.
 */
class SelfContainedJarIT {
  @TempDir Path elsewhere;
  private Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void jarStartedFromAnEmptyDirectoryServesThePageAndSaysWhereItsDataAndLogsAre() throws Exception {
    Path jar = Path.of(System.getProperty("translive.jar", "target/translive.jar")).toAbsolutePath();
    assertTrue(Files.exists(jar), "build the jar first (mvn verify): " + jar);
    int port = ServiceProcess.freePort();
    Path output = elsewhere.resolve("console.txt");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
        .directory(elsewhere.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // Only what a user would set: no config file, no webroot, no log directory.
    builder.environment().keySet().removeIf(name -> name.startsWith("TRANSLIVE_"));
    builder.environment().put("TRANSLIVE_HTTP_PORT", String.valueOf(port));
    builder.environment().put("TRANSLIVE_ENGINE", "demo");
    process = builder.start();
    String console = awaitConsole(output, "Translive ready");

    Path data = elsewhere.resolve("data").toRealPath();
    assertTrue(console.contains("Data in " + data + "; logs in " + data.resolve("logs")), console);
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/", "/js/app.js", "/js/store.js", "/favicon.svg", "/vendor/sockjs.min.js"}) {
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode(), path + " is served from the jar");
    }
    try (Browser browser = Browser.desktop()) {
      browser.open(port);
      TranslivePage.awaitConnected(browser);
      assertEquals("Translate documents", browser.find("#upload-title").getText());
    }
    assertTrue(Files.exists(data.resolve("logs").resolve("app.log")), "the log file is beside the data");
    assertFalse(Files.exists(elsewhere.resolve("logs")), "no logs/ in the directory the jar was started from");
    assertFalse(Files.exists(elsewhere.resolve("webroot")), "nothing unpacked into the working directory");
  }

  private String awaitConsole(Path output, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String text = Files.exists(output) ? Files.readString(output) : "";
      if (text.contains(line)) {
        return text;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited: " + text);
      }
      // A child process's console has no event to await; polled briefly.
      Thread.sleep(100);
    }
    throw new IllegalStateException("no '" + line + "' on the console: " + Files.readString(output));
  }
}
