package dev.translive.page;

import static dev.translive.page.TranslivePage.newestMyTask;
import static dev.translive.page.TranslivePage.onLivePage;
import static dev.translive.page.TranslivePage.textFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
