package dev.translive.page;

import static dev.translive.page.TranslivePage.awaitConnected;
import static dev.translive.page.TranslivePage.chooseTarget;
import static dev.translive.page.TranslivePage.myTaskStatus;
import static dev.translive.page.TranslivePage.myTaskText;
import static dev.translive.page.TranslivePage.newestMyTask;
import static dev.translive.page.TranslivePage.onLivePage;
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
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** The page against a real server in a real browser: upload, progress, queue positions, cancel, late join. */
@ExtendWith(VertxExtension.class)
class PageLiveProgressTest {
  private static final Pattern COUNTDOWN = Pattern.compile("(\\d+):(\\d{2}) left");
  private static final Pattern SEGMENTS = Pattern.compile("Translating: (\\d+) / 30 segments");

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
      // The stage named by the page with counts the user can check, and a percent that agrees with them.
      var counts = SEGMENTS.matcher((String) card.get("stageText"));
      assertTrue(counts.matches(), "stage and segments done/total: " + card.get("stageText"));
      assertEquals(Math.floorDiv(Integer.parseInt(counts.group(1)) * 100, 30) + "%", card.get("percent"), "percent = segments done / total");
      assertFalse(((String) card.get("stageText")).contains("Translating Translating"));
      browser.await(d -> COUNTDOWN.matcher((String) runningCard(browser, taskId).get("eta")).matches());
      // Progress is announced in the polite live region.
      browser.await(d -> browser.<String>js("return document.getElementById('announcer').textContent").matches("report\\.txt: \\d+%"));
      browser.screenshot("1-single-user-translating");

      browser.await(d -> "completed".equals(myTaskStatus(browser, taskId)));
      browser.await(d -> runningCard(browser, taskId) == null);
      // Finished tasks say when, how long, which pair and engine.
      browser.await(d -> myTaskText(browser, taskId).matches("(?s).*English → French · demo · .* · took .*"));

      Path downloads = Files.createDirectory(files.resolve("downloads"));
      browser.downloadTo(downloads);
      WebElement download = browser.find(".my-task[data-task-id='" + taskId + "'] .download-button");
      assertTrue(download.getText().contains("report.fr.txt"), download.getText());
      download.click();
      Path saved = downloads.resolve("report.fr.txt");
      browser.await(d -> Files.exists(saved));
      assertTrue(Files.readString(saved).contains("[fr] Sentence number 1 is here."), Files.readString(saved));
      List<String> urls = browser.js("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])");
      assertTrue(urls.stream().anyMatch(u -> u.endsWith("/api/tasks/" + taskId + "/result")), "the result was fetched: " + urls);
      assertTrue(urls.stream().noneMatch(u -> u.contains("token")), "no token in any URL the page used: " + urls);

      browser.await(d -> browser.find("#history-stats").getText().contains("100%"));
      browser.screenshot("1-single-user-done");
      browser.find("#clear-finished").click();
      browser.await(d -> myTaskStatus(browser, taskId) == null);
      assertFalse(browser.find("#clear-finished").isDisplayed(), "nothing finished left to clear");
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

  /**
   * The owner's page once showed its started task still "Waiting in line" beside its running card.
   * Measured inside the page: from the task_started message to the last moment the queue listed it.
   */
  @Test
  void ownTaskLeavesTheQueueWithinASecondOfItsStart(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      JsonObject blocker = server.submitText("someone-elses.txt", TestServer.sentences(400)).await(10, TimeUnit.SECONDS);
      browser.open(server.port);
      awaitConnected(browser);
      browser.await(d -> runningCard(browser, blocker.getString("task_id")) != null);
      browser.upload(textFile(files, "mine-next.txt", 20));
      String taskId = newestMyTask(browser);
      browser.await(d -> queueItem(browser, taskId));
      browser.js("""
          const id = arguments[0];
          window.__startedAt = null; window.__lastListedAt = null; window.__listedWithCard = false;
          progressClient.subscribeToProgress(m => {
            if (m.type === 'task_started' && m.task_id === id && window.__startedAt === null) window.__startedAt = performance.now();
          });
          const check = () => {
            const listed = !!document.querySelector(`#queue-list [data-task-id="${CSS.escape(id)}"]`);
            if (listed) window.__lastListedAt = performance.now();
            if (listed && document.querySelector(`.running-task[data-task-id="${CSS.escape(id)}"]`)) window.__listedWithCard = true;
          };
          window.__check = check;
          new MutationObserver(check).observe(document.body, {subtree: true, childList: true, characterData: true});
          check();""", taskId);

      // Free the slot: the owner's task starts next.
      server.http.delete("/api/tasks/" + blocker.getString("task_id")).putHeader("X-Task-Token", blocker.getString("token"))
          .send().await(10, TimeUnit.SECONDS);
      browser.await(d -> runningCard(browser, taskId) != null);
      // Until it leaves the queue, or its run (about 3 s) is over.
      browser.await(d -> queueItem(browser, taskId) == null || runningCard(browser, taskId) == null);
      browser.js("window.__check && window.__check()");
      double startedAt = browser.<Number>js("return window.__startedAt").doubleValue();
      double listedAfterStart = browser.<Number>js("return window.__lastListedAt").doubleValue() - startedAt;
      assertNull(queueItem(browser, taskId), "still listed as waiting " + listedAfterStart + " ms after its task_started");
      assertTrue(listedAfterStart <= 1000, "left the queue " + listedAfterStart + " ms after its task_started");
      assertEquals(false, browser.js("return window.__listedWithCard"), "never in the queue and running at once");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The panels never disagree with what the page was told: checked after every message has been
   * rendered (a microtask queued behind the page's own render), never a task both waiting and
   * running, never a finished one in either list, never two running cards with one slot.
   */
  @Test
  void panelsNeverShowAStateThatIsOver(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of("engines.demo.delayMs", 20), (server, browser) -> {
      browser.js("""
          window.__violations = []; window.__checks = 0; window.__finished = new Set(); window.__started = new Set();
          const ids = (css) => [...document.querySelectorAll(css)].map(e => e.dataset.taskId);
          const check = (why) => queueMicrotask(() => {
            window.__checks++;
            const running = ids('.running-task'), queued = ids('#queue-list .queue-item');
            const say = (what) => window.__violations.push(what + ' after ' + why);
            if (running.length > 1) say('two running cards ' + running);
            for (const id of running) if (queued.includes(id)) say(id + ' running and waiting');
            for (const id of running.concat(queued)) if (window.__finished.has(id)) say(id + ' shown after it finished');
            for (const id of queued) if (window.__started.has(id)) say(id + ' waiting after it started');
          });
          progressClient.subscribeToProgress(m => {
            if (m.type === 'task_completed') window.__finished.add(m.task_id);
            if (m.type === 'task_started') window.__started.add(m.task_id);
            check(m.type + ' ' + m.task_id);
          });
          progressClient.subscribeToQueue(m => check('queue_update ' + m.seq));""");
      String last = null;
      for (int i = 1; i <= 8; i++) {
        last = server.submitText("burst-" + i + ".txt", TestServer.sentences(4)).await(10, TimeUnit.SECONDS).getString("task_id");
      }
      server.awaitFinished(last).await(60, TimeUnit.SECONDS);
      browser.await(d -> browser.<Long>js("return window.__finished.size") == 8L);
      browser.await(d -> browser.findAll(".running-task, #queue-list .queue-item").isEmpty());
      assertEquals(List.of(), browser.js("return window.__violations"));
      assertTrue(browser.<Long>js("return window.__checks") >= 16, "every start and end was checked");
    });
  }

  @Test
  void ownTaskBeyondTheBroadcastHeadOfTheQueueStillShowsItsPosition(Vertx vertx) throws Exception {
    // First come, first served: under fair share (the default) the page's own single file would be next.
    TestServer server = startServer(vertx, dataDir, Map.of("queue.broadcastLimit", 2, "queue.dispatch", "fifo"));
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
      // Of the four waiting, three are listed (two at the head, then this one): one is not shown.
      browser.await(d -> browser.find("#queue-more").getText().equals("and 1 more waiting"));
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
      // "1 file added to the queue." is news, not a state: it goes away by itself.
      browser.await(d -> browser.find("#upload-status").getText().isEmpty());
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void cancelFromThePageStopsTheRunningTask(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of(), (server, browser) -> {
      browser.upload(textFile(files, "too-long.txt", 300));
      String taskId = newestMyTask(browser);
      browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && progressOf(c) > 0;
      });

      browser.find(".my-task[data-task-id='" + taskId + "'] .cancel-button").click();
      // A running task asks first; "keep" keeps it running.
      browser.await(d -> myTaskText(browser, taskId).contains("Stop translating too-long.txt?"));
      browser.find(".my-task[data-task-id='" + taskId + "'] .keep-button").click();
      browser.await(d -> !browser.findAll(".my-task[data-task-id='" + taskId + "'] .cancel-button").isEmpty());
      assertEquals("running", server.task(taskId).await(5, TimeUnit.SECONDS).getString("status"));
      browser.find(".my-task[data-task-id='" + taskId + "'] .cancel-button").click();
      browser.await(d -> browser.find(".my-task[data-task-id='" + taskId + "'] .confirm-cancel-button")).click();
      browser.await(d -> "cancelled".equals(myTaskStatus(browser, taskId)));
      browser.await(d -> runningCard(browser, taskId) == null);
      assertEquals("cancelled", server.task(taskId).await(5, TimeUnit.SECONDS).getString("status"));
      assertTrue(browser.findAll(".my-task[data-task-id='" + taskId + "'] .cancel-button").isEmpty(), "nothing left to cancel");
      // A cancellation is the user's choice, not a failure.
      browser.await(d -> browser.find("#history-stats").getText().contains("0 completed, 0 failed, 1 cancelled"));
      assertFalse(browser.find("#history-stats").getText().contains("0%"), "no success rate made of a cancellation");
      browser.screenshot("3-cancelled");
    });
  }

  @Test
  void pageOpenedMidTaskShowsTheCurrentStateAtOnceAndCountsTheEtaDown(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      String taskId = server.submitText("already-running.txt", TestServer.sentences(200))
          .await(10, TimeUnit.SECONDS).getString("task_id");
      awaitServer(server, taskId, t -> "translating".equals(t.getString("stage")) && t.getDouble("progress") > 0.1);

      browser.open(server.port);
      Map<String, Object> card = browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && "translating".equals(c.get("stage")) && progressOf(c) > 0.1 ? c : null;
      });
      assertEquals("already-running.txt", card.get("name"));
      assertTrue(((String) card.get("stageText")).endsWith("/ 200 segments"), (String) card.get("stageText"));
      browser.screenshot("4-opened-mid-task");

      // The next value shown, whatever it is: a countdown that stood still or went up fails here.
      int first = browser.await(d -> etaSeconds(browser, taskId));
      int next = browser.await(d -> {
        Integer now = etaSeconds(browser, taskId);
        return now != null && now != first ? now : null;
      });
      assertTrue(next < first, "the ETA counts down: " + first + " then " + next);
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
