package dev.translive.page;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the page's state from its DOM (the same elements a user sees), and starts slow servers. */
final class TranslivePage {
  private TranslivePage() {}

  /** Demo engine at 150 ms a segment, one segment a batch: progress moves visibly. */
  static TestServer startServer(Vertx vertx, Path dataDir, Map<String, Object> overrides) throws Exception {
    return TestServer.start(vertx, TestServer.config(dataDir, slow(overrides))).await(20, TimeUnit.SECONDS);
  }

  /** What a test does with a live page: the server and the browser are closed after it, whatever happens. */
  interface PageScenario {
    void run(TestServer server, Browser browser) throws Exception;
  }

  /** A slow server ({@link #slow}) and a desktop browser connected to it, for the length of {@code scenario}. */
  static void onLivePage(Vertx vertx, Path dataDir, Map<String, Object> overrides, PageScenario scenario) throws Exception {
    TestServer server = startServer(vertx, dataDir, overrides);
    try (Browser browser = Browser.desktop()) {
      browser.open(server.port);
      awaitConnected(browser);
      scenario.run(server, browser);
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  static Map<String, Object> slow(Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(Map.of("engines.demo.delayMs", 150, "engines.demo.batchSize", 1));
    all.putAll(overrides);
    return all;
  }

  /** GET /api/tasks/{id} as the server answers it (an error body when unknown), for use inside waits. */
  static io.vertx.core.json.JsonObject taskOnServer(TestServer server, String taskId) {
    try {
      return server.task(taskId).await(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the server did not answer GET /api/tasks/" + taskId, e);
    }
  }

  static Path textFile(Path dir, String name, int sentences) throws IOException {
    return Files.writeString(dir.resolve(name), TestServer.sentences(sentences));
  }

  /** A running-task card as shown: name, stage (its id), stageText, progress, percent, description, eta, mine; or null. */
  static Map<String, Object> runningCard(Browser browser, String taskId) {
    return browser.js("""
        const card = document.querySelector(`.running-task[data-task-id="${CSS.escape(arguments[0])}"]`);
        if (!card) return null;
        return {
          name: card.querySelector('.task-name').textContent,
          stage: card.dataset.stage,
          progress: card.querySelector('progress').value,
          stageText: card.querySelector('.stage-label').textContent,
          percent: card.querySelector('.percent').textContent,
          description: card.querySelector('.stage-description').textContent,
          eta: card.querySelector('.eta').textContent,
          mine: card.classList.contains('mine'),
        };""", taskId);
  }

  static double progressOf(Map<String, Object> card) {
    return ((Number) card.get("progress")).doubleValue();
  }

  /** A queued entry as shown: name, position, mine, badge text; or null. */
  static Map<String, Object> queueItem(Browser browser, String taskId) {
    return browser.js("""
        const item = document.querySelector(`.queue-item[data-task-id="${CSS.escape(arguments[0])}"]`);
        if (!item) return null;
        const badge = item.querySelector('.badge');
        return {
          name: item.querySelector('.task-name').textContent,
          position: item.dataset.position,
          mine: item.classList.contains('mine'),
          badge: badge ? badge.textContent : null,
        };""", taskId);
  }

  /** The id of the newest task in "My tasks", once there is one. */
  static String newestMyTask(Browser browser) {
    return browser.await(d -> browser.<String>js(
        "const row = document.querySelector('#my-tasks .my-task'); return row ? row.dataset.taskId : null;"));
  }

  static String myTaskStatus(Browser browser, String taskId) {
    return browser.js("""
        const row = document.querySelector(`.my-task[data-task-id="${CSS.escape(arguments[0])}"]`);
        return row ? row.dataset.status : null;""", taskId);
  }

  static String myTaskText(Browser browser, String taskId) {
    return browser.js("""
        const row = document.querySelector(`.my-task[data-task-id="${CSS.escape(arguments[0])}"]`);
        return row ? row.textContent : null;""", taskId);
  }

  /** The stale banner is shown (the page knows it lost the server). */
  static boolean staleBannerShown(Browser browser) {
    return browser.<Boolean>js("const b = document.getElementById('stale-banner'); return !b.hidden && b.offsetHeight > 0;");
  }

  static void awaitConnected(Browser browser) {
    browser.await(d -> "connected".equals(browser.connectionState()));
  }

  /** The language selects are filled from /api/engines after load. */
  static void chooseTarget(Browser browser, String target) {
    browser.await(d -> !browser.findAll("#target-select option[value='" + target + "']").isEmpty());
    new org.openqa.selenium.support.ui.Select(browser.find("#target-select")).selectByValue(target);
  }
}
