package dev.translive.page;

import static dev.translive.page.TranslivePage.awaitConnected;
import static dev.translive.page.TranslivePage.myTaskStatus;
import static dev.translive.page.TranslivePage.newestMyTask;
import static dev.translive.page.TranslivePage.onLivePage;
import static dev.translive.page.TranslivePage.runningCard;
import static dev.translive.page.TranslivePage.startServer;
import static dev.translive.page.TranslivePage.textFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** Hostile file names, narrow screens, keyboard use, the language switch, and the client's own rules. */
@ExtendWith(VertxExtension.class)
class PageSafetyAndLayoutTest {
  private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt";

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void hostileFileNameIsShownAsTextEverywhere(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of("engines.demo.delayMs", 60), (server, browser) -> {
      browser.upload(textFile(files, HOSTILE_NAME, 20));
      String taskId = newestMyTask(browser);
      // The name as the server keeps it: Netty's multipart decoder turns '=' (and ':', ',', ';') into spaces,
      // which leaves the markup itself intact for this test.
      String storedName = TranslivePage.taskOnServer(server, taskId).getString("filename");
      assertTrue(storedName.startsWith("<img src") && storedName.endsWith("alert(1)>.txt"), storedName);
      browser.await(d -> runningCard(browser, taskId) != null);
      assertEquals(storedName, runningCard(browser, taskId).get("name"));
      browser.screenshot("7-hostile-name-running");

      browser.await(d -> "completed".equals(myTaskStatus(browser, taskId)));
      assertEquals(storedName, browser.find(".my-task[data-task-id='" + taskId + "'] .task-name").getText());
      browser.await(d -> browser.<Boolean>js(
          "return [...document.querySelectorAll('#history-chart title')].some(t => t.textContent.startsWith(arguments[0]))", storedName));
      assertTrue(browser.find("body").getText().contains(storedName), "the literal name is visible");
      assertEquals(0L, browser.<Long>js("return document.querySelectorAll('img').length"), "no element was made from the name");
      assertThrows(NoAlertPresentException.class, () -> browser.driver.switchTo().alert(), "no script ran");
      browser.screenshot("7-hostile-name-done");
    });
  }

  @Test
  void narrowScreenHasNoHorizontalScrollAndTheChineseSwitchChangesTheTexts(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    String longName = "quarterly-report-of-the-regional-translation-department-without-any-spaces-at-all-2025.txt";
    server.submitText(longName, TestServer.sentences(200)).await(10, TimeUnit.SECONDS);
    server.submitText("queued-second.md", TestServer.sentences(5)).await(10, TimeUnit.SECONDS);
    try (Browser browser = Browser.phone()) {
      browser.open(server.port);
      awaitConnected(browser);
      browser.await(d -> !browser.findAll(".running-task").isEmpty() && !browser.findAll(".queue-item").isEmpty());
      assertEquals(360L, browser.<Long>js("return window.innerWidth"), "the viewport really is 360 px wide");
      assertTrue(browser.<Long>js("return document.documentElement.scrollWidth") <= 360, "no horizontal scrollbar");
      WebElement dropZone = browser.find("#drop-zone");
      assertTrue(dropZone.isDisplayed());
      assertTrue(browser.<Boolean>js("const r = arguments[0].getBoundingClientRect(); return r.left >= 0 && r.right <= 360 && r.top < window.innerHeight;", dropZone),
          "the upload control is visible without scrolling sideways");
      browser.screenshot("8-narrow-english");

      browser.find("#language-toggle").click();
      browser.await(d -> "翻译文档".equals(browser.find("#upload-title").getText()));
      assertEquals("zh-CN", browser.js("return document.documentElement.lang"));
      assertEquals("正在翻译", browser.find("#running-title").getText());
      assertEquals("实时连接", browser.find("#connection-text").getText());
      assertTrue(browser.find(".running-task .stage-label").getText().matches("(翻译中|读取文档|查找重复内容|生成译文文档)(：第 [\\d,]+ / [\\d,]+ 段)?"),
        browser.find(".running-task .stage-label").getText());
      assertTrue(browser.<Long>js("return document.documentElement.scrollWidth") <= 360, "no horizontal scrollbar in Chinese either");
      browser.screenshot("8-narrow-chinese");

      browser.driver.navigate().refresh();
      browser.await(d -> "翻译文档".equals(browser.find("#upload-title").getText()));
      browser.find("#language-toggle").click();
      browser.await(d -> "Translate documents".equals(browser.find("#upload-title").getText()));
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Every text of the Chinese page is Chinese: a script walks what is visible (text, labels, titles)
   * and reports Latin-letter words other than file names, engine ids, language codes, format names,
   * the product name and MB.
   */
  @Test
  void chinesePageHasNoEnglishLeft(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    server.submitText("finished-first.txt", TestServer.sentences(3)).await(10, TimeUnit.SECONDS);
    server.submitText("running-long.txt", TestServer.sentences(300)).await(10, TimeUnit.SECONDS);
    server.submitText("waiting-other.txt", TestServer.sentences(5)).await(10, TimeUnit.SECONDS);
    try (Browser browser = Browser.desktop()) {
      browser.open(server.port);
      awaitConnected(browser);
      Path broken = Files.writeString(files.resolve("broken.docx"), "not a zip at all");
      browser.upload(textFile(files, "my-own.txt", 5), textFile(files, "not-a-document.exe", 1), broken);
      String taskId = newestMyTask(browser);
      browser.await(d -> TranslivePage.queueItem(browser, taskId) != null
          && browser.find("#upload-status").getText().contains("broken.docx was not uploaded"));
      browser.await(d -> !browser.findAll(".running-task .eta").isEmpty() && !browser.findAll("#history-chart rect").isEmpty());

      browser.await(d -> ((String) runningCard(browser, browser.<String>js(
          "return document.querySelector('.running-task').dataset.taskId")).get("stageText")).startsWith("Translating:"));
      browser.screenshot("9-english-all-panels");

      browser.find("#language-toggle").click();
      browser.await(d -> "翻译文档".equals(browser.find("#upload-title").getText()));
      browser.screenshot("9-chinese");
      // The server's refusal in the page's language too.
      assertTrue(browser.find("#upload-status").getText().contains("未上传 broken.docx：不支持这种格式"), browser.find("#upload-status").getText());
      List<String> english = browser.js("""
          const allowed = new Set(['translive', 'mb', 'txt', 'md', 'markdown', 'docx', 'pptx', 'xlsx', 'html', 'htm', 'srt', 'vtt', 'pdf', 'epub', 'png', 'jpg', 'jpeg', 'tif', 'tiff']);
          for (const o of document.querySelectorAll('#engine-select option, #source-select option, #target-select option')) {
            allowed.add(o.value.toLowerCase());
          }
          const names = [...document.querySelectorAll('.task-name'), ...document.querySelectorAll('#history-chart title')]
            .map(n => n.textContent.split(':')[0]).concat(['not-a-document.exe', 'my-own.txt', 'broken.docx']);
          const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
          const texts = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (el.closest('[data-verbatim], [lang="en"], script, style') || !visible(el)) continue;
            texts.push(n.textContent);
          }
          for (const el of document.querySelectorAll('[aria-label], [title]')) {
            if (!visible(el) || el.closest('[lang="en"]')) continue;
            texts.push(el.getAttribute('aria-label') || '', el.getAttribute('title') || '');
          }
          const found = [];
          for (let text of texts) {
            for (const name of names) text = text.split(name).join(' ');
            for (const word of text.match(/[A-Za-z][A-Za-z'-]*/g) || []) {
              if (!allowed.has(word.toLowerCase())) found.push(word + ' in "' + text.trim().slice(0, 60) + '"');
            }
          }
          return found;""");
      assertTrue(english.isEmpty(), "English left on the Chinese page: " + english);
      assertFalse(browser.find("body").getText().contains("约 约"), "\"about\" said once");
      // With every panel filled: nothing a Content-Security-Policy without 'unsafe-inline' would block.
      List<String> inline = browser.js("""
          const found = [...document.querySelectorAll('*')]
            .filter(e => e.hasAttribute('style') || [...e.attributes].some(a => a.name.startsWith('on')))
            .map(e => e.outerHTML.slice(0, 80));
          return found.concat([...document.scripts].filter(s => !s.src).map(s => 'inline script ' + s.text.slice(0, 40)));""");
      assertTrue(inline.isEmpty(), "inline styles, handlers or scripts: " + inline);
      List<String> missing = browser.js("return import('/js/i18n.js').then(m => m.missingKeys())");
      assertTrue(missing.isEmpty(), "texts without a translation: " + missing);
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The page under the server's Content-Security-Policy (no 'unsafe-inline'): it connects, uploads,
   * shows progress and finishes with no violation reported (an inline style or script would be).
   */
  @Test
  void pageWorksUnderTheServersContentSecurityPolicy(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of("engines.demo.delayMs", 20));
    try (Browser browser = Browser.desktop()) {
      String policy = server.http.get("/").send().await(5, TimeUnit.SECONDS).getHeader("Content-Security-Policy");
      assertTrue(policy != null && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "policy: " + policy);
      browser.beforeEachPage("""
          window.__violations = [];
          document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));""");
      browser.open(server.port);
      awaitConnected(browser);
      browser.upload(textFile(files, "under-csp.txt", 10));
      String taskId = newestMyTask(browser);
      browser.await(d -> "completed".equals(myTaskStatus(browser, taskId)));
      browser.await(d -> !browser.findAll("#history-chart rect").isEmpty());
      assertEquals(List.of(), browser.js("return window.__violations"), "nothing the policy blocked");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /** One unsupported file in a selection: the others are uploaded, the refused one is named with the reason. */
  @Test
  void selectionWithAnUnsupportedFileUploadsTheGoodOnesAndNamesTheRefusedOne(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of("engines.demo.delayMs", 5), (server, browser) -> {
      Path broken = Files.writeString(files.resolve("broken.docx"), "not a zip at all");
      browser.upload(textFile(files, "good-one.txt", 3), textFile(files, "photo.exe", 1), broken, textFile(files, "good-two.md", 3));
      browser.await(d -> browser.findAll("#my-tasks .my-task").size() == 2);
      String status = browser.await(d -> {
        String text = browser.find("#upload-status").getText();
        return text.contains("added to the queue") ? text : null;
      });
      assertTrue(status.contains("2 files added to the queue."), status);
      assertTrue(status.contains("photo.exe was not uploaded: this format is not supported"), status);
      // Refused by the server (its content is not a .docx): named with the server's reason.
      assertTrue(status.matches("(?s).*broken\\.docx was not uploaded: [^\\n]*\\.docx.*"), status);
      List<String> names = browser.js("return [...document.querySelectorAll('#my-tasks .task-name')].map(n => n.textContent)");
      assertEquals(List.of("good-two.md", "good-one.txt"), names, "newest first, both uploaded");

      // The refusal belongs to that selection: changing the settings clears it.
      TranslivePage.chooseTarget(browser, "fr");
      browser.await(d -> browser.find("#upload-status").getText().isEmpty());
    });
  }

  @Test
  void uploadAreaOpensTheFileDialogFromTheKeyboard(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      browser.open(server.port);
      // Stands in for the native dialog, which a headless browser cannot show.
      browser.js("window.__dialogs = 0; document.getElementById('file-input').addEventListener('click', e => { e.preventDefault(); window.__dialogs++; });");
      WebElement zone = browser.find("#drop-zone");
      assertEquals("0", zone.getDomAttribute("tabindex"));
      assertEquals("button", zone.getDomAttribute("role"));
      zone.sendKeys(Keys.ENTER);
      browser.await(d -> browser.<Long>js("return window.__dialogs") == 1L);
      zone.sendKeys(Keys.SPACE);
      browser.await(d -> browser.<Long>js("return window.__dialogs") == 2L);
      List<String> unlabelled = browser.js("""
          return [...document.querySelectorAll('input, select')]
            .filter(i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label'))
            .map(i => i.id);""");
      assertTrue(unlabelled.isEmpty(), "every input has a label: " + unlabelled);
      assertEquals("polite", browser.find("#announcer").getDomAttribute("aria-live"));
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientBacksOffWithFullJitterAndDropsStaleMessages(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      browser.open(server.port);
      List<Long> delays = browser.js("""
          const delay = createProgressClient.backoffDelay;
          const low = () => 0, high = () => 0.999999, mid = () => 0.5;
          return [delay(0, 2000, 30000, low), delay(0, 2000, 30000, high), delay(3, 2000, 30000, high),
                  delay(10, 2000, 30000, high), delay(10, 2000, 30000, mid), delay(1000, 2000, 30000, high)];""");
      assertEquals(List.of(0L, 1999L, 15999L, 29999L, 15000L, 29999L), delays, "uniform in [0, min(cap, base * 2^attempt))");

      List<Boolean> accepted = browser.js("""
          const filter = createProgressClient.createSeqFilter(2);
          return [
            filter.acceptTask({task_id: 'a', seq: 5}),
            filter.acceptTask({task_id: 'a', seq: 5}),   // duplicate, e.g. pushed on register and in the snapshot
            filter.acceptTask({task_id: 'a', seq: 4}),   // older progress arriving late
            filter.acceptTask({task_id: 'b', seq: 1}),   // another task has its own order
            filter.acceptTask({task_id: 'a', seq: 6}),
            filter.acceptQueue({seq: 10}),
            filter.acceptQueue({seq: 9}),
            filter.acceptQueue({seq: 11}),
          ];""");
      assertEquals(List.of(true, false, false, true, true, true, false, true), accepted);

      // An uncertain estimate (eta_low/eta_high) reads as a range; "about" is said once in both languages.
      List<String> ranges = browser.js("""
          return import('/js/i18n.js').then(i18n => {
            const out = [i18n.formatRange(190, 235), i18n.formatWait(200)];
            i18n.setLanguage('zh');
            out.push(i18n.formatRange(190, 235), i18n.formatWait(200));
            i18n.setLanguage('en');
            return out;
          });""");
      assertEquals(List.of("about 3–4 min left", "starts in about 3 min", "大约还剩 3–4 分钟", "约 3 分钟后开始"), ranges);
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }
}
