package dev.translive.page;

import static dev.translive.page.TranslivePage.awaitConnected;
import static dev.translive.page.TranslivePage.chooseTarget;
import static dev.translive.page.TranslivePage.myTaskStatus;
import static dev.translive.page.TranslivePage.myTaskText;
import static dev.translive.page.TranslivePage.newestMyTask;
import static dev.translive.page.TranslivePage.progressOf;
import static dev.translive.page.TranslivePage.queueItem;
import static dev.translive.page.TranslivePage.runningCard;
import static dev.translive.page.TranslivePage.startServer;
import static dev.translive.page.TranslivePage.textFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The page against a real server in a real browser: upload, progress, queue positions, cancel, late join. */
@ExtendWith(VertxExtension.class)
class PageLiveProgressTest {
  private static final Pattern COUNTDOWN = Pattern.compile("(\\d+):(\\d{2}) left");

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void userUploadsWatchesProgressToCompletionAndDownloadsTheResult(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    Path file = textFile(files, "report.txt", 30);
    try (Browser browser = Browser.desktop()) {
      browser.open(server.port);
      awaitConnected(browser);
      chooseTarget(browser, "fr");
      browser.upload(file);
      String taskId = newestMyTask(browser);

      Map<String, Object> card = browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && "translating".equals(c.get("stage")) && progressOf(c) > 0.1 ? c : null;
      });
      assertEquals("report.txt", card.get("name"));
      assertEquals(true, card.get("mine"), "the uploader's own task is highlighted");
      assertTrue(((String) card.get("segments")).matches("\\d+ / 30 segments"), "segments done/total: " + card.get("segments"));
      assertFalse(((String) card.get("description")).isBlank(), "the stage description is shown");
      browser.await(d -> COUNTDOWN.matcher((String) runningCard(browser, taskId).get("eta")).matches());
      // Progress is announced in the polite live region.
      browser.await(d -> browser.<String>js("return document.getElementById('announcer').textContent").matches("report\\.txt: \\d+%"));
      browser.screenshot("1-single-user-translating");

      browser.await(d -> "completed".equals(myTaskStatus(browser, taskId)));
      browser.await(d -> runningCard(browser, taskId) == null);
      String href = browser.find(".my-task[data-task-id='" + taskId + "'] a.download-link").getDomProperty("href");
      assertTrue(browser.find(".my-task[data-task-id='" + taskId + "'] a.download-link").getText().contains("report.fr.txt"));
      HttpResponse<Buffer> download = server.http.getAbs(href).send().await(10, TimeUnit.SECONDS);
      assertEquals(200, download.statusCode(), "the page's download link works: " + href);
      assertTrue(download.bodyAsString().contains("[fr] Sentence number 1 is here."), download.bodyAsString());
      browser.await(d -> browser.find("#history-stats").getText().contains("100%"));
      browser.screenshot("1-single-user-done");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoSessionsSeeTheSameRunningTaskAndEachItsOwnQueuePosition(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser alice = Browser.desktop(); Browser bob = Browser.desktop()) {
      alice.open(server.port);
      bob.open(server.port);
      awaitConnected(alice);
      awaitConnected(bob);

      alice.upload(textFile(files, "alice-long.txt", 150));
      String aliceTask = newestMyTask(alice);
      alice.await(d -> runningCard(alice, aliceTask) != null);
      assertEquals(true, runningCard(alice, aliceTask).get("mine"));
      Map<String, Object> seenByBob = bob.await(d -> runningCard(bob, aliceTask));
      assertEquals("alice-long.txt", seenByBob.get("name"));
      assertEquals(false, seenByBob.get("mine"), "someone else's task is not highlighted");

      bob.upload(textFile(files, "bob-short.txt", 5));
      String bobTask = newestMyTask(bob);
      Map<String, Object> bobsView = bob.await(d -> queueItem(bob, bobTask));
      assertEquals("1", bobsView.get("position"));
      assertEquals(true, bobsView.get("mine"));
      assertEquals("your task, position 1", bobsView.get("badge"));
      bob.await(d -> myTaskText(bob, bobTask).contains("Position 1 in the queue"));

      Map<String, Object> alicesView = alice.await(d -> queueItem(alice, bobTask));
      assertEquals("bob-short.txt", alicesView.get("name"));
      assertEquals(false, alicesView.get("mine"));
      assertNull(alicesView.get("badge"));
      assertTrue(progressOf(alice.await(d -> runningCard(alice, aliceTask))) < 1.0);
      alice.screenshot("2-two-sessions-alice");
      bob.screenshot("2-two-sessions-bob");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ownTaskBeyondTheBroadcastHeadOfTheQueueStillShowsItsPosition(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of("queue.broadcastLimit", 2));
    try (Browser browser = Browser.desktop()) {
      for (int i = 1; i <= 4; i++) {
        server.submitText("other-" + i + ".txt", TestServer.sentences(200)).await(10, TimeUnit.SECONDS);
      }
      browser.open(server.port);
      awaitConnected(browser);
      browser.upload(textFile(files, "far-back.txt", 5));
      String taskId = newestMyTask(browser);

      Map<String, Object> item = browser.await(d -> queueItem(browser, taskId));
      assertEquals("4", item.get("position"), "one running, three ahead in line");
      assertEquals(true, item.get("mine"));
      assertEquals(2, browser.findAll(".queue-item:not(.mine)").size(), "only the broadcast head of the others");
      // queue_update is coalesced (at most every 100 ms), so the count may follow the position by a moment.
      browser.await(d -> browser.find("#queue-more").getText().contains("2 more waiting"));
      browser.await(d -> myTaskText(browser, taskId).contains("Position 4 in the queue"));
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void optedInUserIsNotifiedWhenTheirTaskFinishes(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      // A recording stand-in for the Notification API, whose permission prompt a headless browser cannot answer.
      browser.beforeEachPage("""
          window.__notifications = [];
          window.Notification = class {
            static permission = 'default';
            static requestPermission() { Notification.permission = 'granted'; return Promise.resolve('granted'); }
            constructor(title, options) { window.__notifications.push(title + ' | ' + options.body); }
          };""");
      browser.open(server.port);
      awaitConnected(browser);
      assertEquals("false", browser.find("#notify-toggle").getDomAttribute("aria-pressed"));
      browser.find("#notify-toggle").click();
      browser.await(d -> "true".equals(browser.find("#notify-toggle").getDomAttribute("aria-pressed")));

      browser.upload(textFile(files, "notify-me.txt", 5));
      String taskId = newestMyTask(browser);
      browser.await(d -> "completed".equals(myTaskStatus(browser, taskId)));
      java.util.List<String> shown = browser.await(d -> {
        java.util.List<String> n = browser.js("return window.__notifications");
        return n.isEmpty() ? null : n;
      });
      assertEquals(java.util.List.of("Translation finished | notify-me.txt: Completed"), shown);
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void cancelFromThePageStopsTheRunningTask(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      browser.open(server.port);
      awaitConnected(browser);
      browser.upload(textFile(files, "too-long.txt", 300));
      String taskId = newestMyTask(browser);
      browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && progressOf(c) > 0;
      });

      browser.find(".my-task[data-task-id='" + taskId + "'] .cancel-button").click();
      browser.await(d -> "cancelled".equals(myTaskStatus(browser, taskId)));
      browser.await(d -> runningCard(browser, taskId) == null);
      assertEquals("cancelled", server.task(taskId).await(5, TimeUnit.SECONDS).getString("status"));
      assertTrue(browser.findAll(".my-task[data-task-id='" + taskId + "'] .cancel-button").isEmpty(), "nothing left to cancel");
      browser.screenshot("3-cancelled");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pageOpenedMidTaskShowsTheCurrentStateAtOnceAndCountsTheEtaDown(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      String taskId = server.submitText("already-running.txt", TestServer.sentences(200))
          .await(10, TimeUnit.SECONDS).getString("task_id");
      awaitServer(server, taskId, t -> "translating".equals(t.getString("stage")) && t.getDouble("progress") > 0.1);

      browser.open(server.port);
      Map<String, Object> card = browser.await(Duration.ofMillis(1500), d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && "translating".equals(c.get("stage")) && progressOf(c) > 0.1 ? c : null;
      });
      assertEquals("already-running.txt", card.get("name"));
      assertTrue(((String) card.get("segments")).endsWith("/ 200 segments"));
      browser.screenshot("4-opened-mid-task");

      int first = browser.await(d -> etaSeconds(browser, taskId));
      int later = browser.await(Duration.ofSeconds(5), d -> {
        Integer now = etaSeconds(browser, taskId);
        return now != null && now < first ? now : null;
      });
      assertTrue(later < first, "the ETA counts down");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  private static Integer etaSeconds(Browser browser, String taskId) {
    Map<String, Object> card = runningCard(browser, taskId);
    var m = card == null ? null : COUNTDOWN.matcher((String) card.get("eta"));
    return m != null && m.matches() ? Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2)) : null;
  }

  static JsonObject awaitServer(TestServer server, String taskId, java.util.function.Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonObject task = server.task(taskId).await(5, TimeUnit.SECONDS);
      if (condition.test(task)) {
        return task;
      }
      server.vertx.timer(50).await(1, TimeUnit.SECONDS);
    }
    throw new AssertionError("task " + taskId + " never reached the expected state");
  }
}
