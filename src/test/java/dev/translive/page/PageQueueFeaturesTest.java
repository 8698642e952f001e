package dev.translive.page;

import static dev.translive.page.TranslivePage.newestMyTask;
import static dev.translive.page.TranslivePage.onLivePage;
import static dev.translive.page.TranslivePage.textFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 on the page: the estimate before queueing, pause and resume, batches. */
@ExtendWith(VertxExtension.class)
class PageQueueFeaturesTest {
  @TempDir Path dataDir;
  @TempDir Path files;

  /** The estimate items as shown: one text per file. */
  private static List<String> estimateItems(Browser browser) {
    return browser.js("return [...document.querySelectorAll('#estimate-list .estimate-item')].map(n => n.textContent)");
  }

  @Test
  void pickedFilesAreEstimatedFirstAndQueuedOnlyWithTranslate(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of(), (server, browser) -> {
      TranslivePage.chooseTarget(browser, "fr");
      browser.pick(textFile(files, "estimate-me.txt", 30));
      List<String> items = browser.await(d -> {
        List<String> shown = estimateItems(browser);
        return shown.size() == 1 && shown.get(0).contains("segments") ? shown : null;
      });
      String item = items.get(0);
      assertTrue(item.contains("estimate-me.txt"), item);
      assertTrue(item.contains("30 segments"), item);
      assertTrue(item.matches("(?s).*[\\d,]+ characters.*"), item);
      assertTrue(item.contains("takes about"), item);
      assertTrue(item.contains("cost: free"), item);
      assertTrue(browser.find("#estimate-translate").isEnabled());
      browser.screenshot("11-estimate");
      // Nothing is queued by picking.
      assertTrue(browser.findAll("#my-tasks .my-task").isEmpty(), "picking queues nothing");
      var queue = server.http.get("/api/queue").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject().getJsonObject("queue").getJsonObject("data");
      assertEquals(0, queue.getInteger("queue_length"), queue.encode());
      assertTrue(queue.getJsonArray("running").isEmpty(), queue.encode());

      // Dropping the selection: the drop zone is back, still nothing queued.
      browser.find("#estimate-drop").click();
      browser.await(d -> !browser.find("#estimate").isDisplayed() && browser.find("#drop-zone").isDisplayed());
      assertTrue(browser.findAll("#my-tasks .my-task").isEmpty());

      // Picked again and translated: queued as an upload always was.
      browser.pick(textFile(files, "estimate-me.txt", 30));
      browser.await(d -> browser.find("#estimate-translate").isDisplayed() && browser.find("#estimate-translate").isEnabled());
      browser.find("#estimate-translate").click();
      String taskId = newestMyTask(browser);
      browser.await(d -> browser.find("#upload-status").getText().contains("1 file added to the queue."));
      assertFalse(browser.find("#estimate").isDisplayed());
      assertEquals("estimate-me.txt", TranslivePage.taskOnServer(server, taskId).getString("filename"));
      assertEquals("fr", TranslivePage.taskOnServer(server, taskId).getString("target_lang"));
    });
  }

  @Test
  void estimateShowsThePriceOfAPricedEngineInBothLanguages(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of("engines.demo.pricePerMillionChars", 20000), (server, browser) -> {
      browser.pick(textFile(files, "priced.txt", 20));
      String item = browser.await(d -> {
        List<String> shown = estimateItems(browser);
        return shown.size() == 1 && shown.get(0).contains("cost:") ? shown.get(0) : null;
      });
      assertTrue(item.matches("(?s).*cost: \\$\\d+\\.\\d{2}.*"), item);
      browser.find("#language-toggle").click();
      String zh = browser.await(d -> {
        List<String> shown = estimateItems(browser);
        return shown.size() == 1 && shown.get(0).contains("费用") ? shown.get(0) : null;
      });
      assertTrue(zh.contains("20 段"), zh);
      assertEquals("开始翻译", browser.find("#estimate-translate").getText());
      assertEquals("重新选择文件", browser.find("#estimate-drop").getText());
    });
  }

  @Test
  void ownerPausesTheRunningTaskAndResumesItFromThePage(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of(), (server, browser) -> {
      browser.upload(textFile(files, "pause-me.txt", 80));
      String taskId = newestMyTask(browser);
      browser.await(d -> {
        Map<String, Object> card = TranslivePage.runningCard(browser, taskId);
        return card != null && TranslivePage.progressOf(card) > 0.05;
      });
      String pauseButton = ".my-task[data-task-id='" + taskId + "'] .pause-button";
      browser.await(d -> browser.find(pauseButton).isEnabled());
      browser.find(pauseButton).click();

      browser.await(d -> "paused".equals(TranslivePage.myTaskStatus(browser, taskId)));
      browser.await(d -> TranslivePage.runningCard(browser, taskId) == null);
      assertEquals("paused", TranslivePage.taskOnServer(server, taskId).getString("status"));
      // Shown as paused in the queue panel and in "my tasks", with how far it got.
      String queued = browser.await(d -> browser.<String>js(
          "const n = document.querySelector(`#queue-list .queue-item.paused[data-task-id='${arguments[0]}']`); return n ? n.textContent : null;", taskId));
      assertTrue(queued.matches("(?s).*pause-me\\.txt.*paused at \\d+%.*"), queued);
      String row = TranslivePage.myTaskText(browser, taskId);
      assertTrue(row.contains("Paused at"), row);
      int doneWhenPaused = TranslivePage.taskOnServer(server, taskId).getInteger("completed_segments");
      assertTrue(doneWhenPaused > 0 && doneWhenPaused < 80, "paused part way: " + doneWhenPaused);
      browser.screenshot("11-paused");

      browser.find(".my-task[data-task-id='" + taskId + "'] .resume-button").click();
      browser.await(d -> "running".equals(TranslivePage.myTaskStatus(browser, taskId)) || "completed".equals(TranslivePage.myTaskStatus(browser, taskId)));
      browser.await(d -> browser.findAll("#queue-list .queue-item.paused").isEmpty());
      browser.await(java.time.Duration.ofSeconds(60), d -> "completed".equals(TranslivePage.myTaskStatus(browser, taskId)));
    });
  }

  @Test
  void zipUploadShowsTheBatchAndDownloadsAllResults(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of("engines.demo.delayMs", 20), (server, browser) -> {
      Path zip = files.resolve("docs.zip");
      try (var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
        for (String[] entry : new String[][] {{"a.txt", dev.translive.support.TestServer.sentences(8)},
            {"sub/b.txt", dev.translive.support.TestServer.sentences(8)}, {"tool.exe", "not a document"}}) {
          out.putNextEntry(new java.util.zip.ZipEntry(entry[0]));
          out.write(entry[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
          out.closeEntry();
        }
      }
      browser.pick(zip);
      String item = browser.await(d -> {
        List<String> shown = estimateItems(browser);
        return shown.size() == 1 && shown.get(0).contains("a batch") ? shown.get(0) : null;
      });
      assertTrue(item.contains("docs.zip"), item);
      browser.find("#estimate-translate").click();

      String batch = ".my-batch";
      browser.await(d -> !browser.findAll(batch).isEmpty());
      browser.await(d -> "2".equals(browser.find(batch).getDomAttribute("data-total")));
      String text = browser.await(d -> {
        String shown = browser.find(batch).getText();
        return shown.contains("2 / 2 files done") && shown.contains("Batch finished") ? shown : null;
      });
      assertTrue(text.contains("docs.zip"), text);
      assertTrue(text.contains("skipped tool.exe"), text);
      browser.screenshot("11-batch");

      Path downloads = java.nio.file.Files.createDirectory(files.resolve("downloads"));
      browser.downloadTo(downloads);
      browser.find(batch + " .download-all-button").click();
      Path saved = downloads.resolve("docs.translated.zip");
      browser.await(d -> java.nio.file.Files.exists(saved));
      List<String> names = new java.util.ArrayList<>();
      browser.await(d -> {
        names.clear();
        try (var in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(saved))) {
          for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            names.add(e.getName());
          }
        } catch (java.io.IOException e) {
          return null;
        }
        return names.size() == 2 ? names : null;
      });
      assertTrue(names.stream().anyMatch(n -> n.startsWith("sub/")), "folders kept: " + names);
      List<String> urls = browser.js("return performance.getEntriesByType('resource').map(e => e.name)");
      assertTrue(urls.stream().noneMatch(u -> u.contains("token")), "no token in any URL: " + urls);
    });
  }

  @Test
  void operatorPanelBehindTheAdminKeyCancelsReprioritisesAndDrainsTheQueue(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of("admin.key", "correct horse battery"), (server, browser) -> {
      var running = server.submitText("someone-long.txt", dev.translive.support.TestServer.sentences(200)).await(10, TimeUnit.SECONDS);
      var waiting = server.submitText("someone-waiting.txt", dev.translive.support.TestServer.sentences(5)).await(10, TimeUnit.SECONDS);
      String waitingId = waiting.getString("task_id");
      String runningId = running.getString("task_id");
      browser.find("#admin summary").click();
      // A wrong key is refused and not kept.
      browser.find("#admin-key").sendKeys("wrong");
      browser.find("#admin-open").click();
      browser.await(d -> browser.find("#admin-status").getText().contains("refused"));
      assertTrue(browser.find("#admin-login").isDisplayed());
      assertNull(browser.<Object>js("return sessionStorage.getItem('translive.adminKey')"));

      browser.find("#admin-key").sendKeys("correct horse battery");
      browser.find("#admin-open").click();
      String item = ".admin-task[data-task-id='" + waitingId + "']";
      browser.await(d -> !browser.findAll(item).isEmpty());
      assertTrue(browser.find(item).getText().contains("someone-waiting.txt"), browser.find(item).getText());
      assertEquals("correct horse battery", browser.<String>js("return sessionStorage.getItem('translive.adminKey')"));
      assertNull(browser.<Object>js("return localStorage.getItem('translive.adminKey')"), "never in localStorage");

      new org.openqa.selenium.support.ui.Select(browser.find(item + " .admin-priority")).selectByValue("high");
      browser.await(d -> "high".equals(TranslivePage.taskOnServer(server, waitingId).getString("priority")));
      browser.await(d -> "high".equals(browser.find(item).getDomAttribute("data-priority")));

      browser.find(".admin-task[data-task-id='" + runningId + "'] .admin-cancel").click();
      browser.await(d -> "cancelled".equals(TranslivePage.taskOnServer(server, runningId).getString("status")));

      browser.find("#admin-queue-toggle").click();
      browser.await(d -> "true".equals(browser.find("#admin-queue-toggle").getDomAttribute("data-paused")));
      assertTrue(browser.find("#admin-queue-state").getText().contains("paused"));
      browser.screenshot("11-operator");
      browser.find("#admin-queue-toggle").click();
      browser.await(d -> "false".equals(browser.find("#admin-queue-toggle").getDomAttribute("data-paused")));
      browser.await(d -> "completed".equals(TranslivePage.taskOnServer(server, waitingId).getString("status")));

      browser.find("#admin-lock").click();
      browser.await(d -> browser.find("#admin-login").isDisplayed());
      assertNull(browser.<Object>js("return sessionStorage.getItem('translive.adminKey')"));
    });
  }
}
