package dev.translive.page;

import static dev.translive.page.TranslivePage.awaitConnected;
import static dev.translive.page.TranslivePage.myTaskStatus;
import static dev.translive.page.TranslivePage.newestMyTask;
import static dev.translive.page.TranslivePage.onLivePage;
import static dev.translive.page.TranslivePage.progressOf;
import static dev.translive.page.TranslivePage.runningCard;
import static dev.translive.page.TranslivePage.slow;
import static dev.translive.page.TranslivePage.staleBannerShown;
import static dev.translive.page.TranslivePage.startServer;
import static dev.translive.page.TranslivePage.textFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** The page when the bridge is degraded, unreachable, or its server restarts. */
@ExtendWith(VertxExtension.class)
class PageConnectionTest {
  /** Counts GET /api/queue requests and the most ever in flight at once, before the page's scripts run. */
  private static final String COUNT_QUEUE_POLLS = """
      window.__polls = 0; window.__pollsInFlight = 0; window.__maxPollsInFlight = 0;
      const realFetch = window.fetch.bind(window);
      window.fetch = (url, init) => {
        if (!String(url).includes('/api/queue')) return realFetch(url, init);
        window.__polls++; window.__pollsInFlight++;
        window.__maxPollsInFlight = Math.max(window.__maxPollsInFlight, window.__pollsInFlight);
        return realFetch(url, init).finally(() => window.__pollsInFlight--);
      };""";

  @TempDir Path dataDir;
  @TempDir Path files;

  /**
   * WebSocket refused by the server: the page must still be live over a SockJS fallback transport
   * (XHR streaming or polling through the bridge), not over the GET /api/queue polling fallback.
   */
  @Test
  void withWebSocketDisabledProgressArrivesOverASockJsFallbackTransport(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of("bridge.disabledTransports", new JsonArray().add("WEBSOCKET")));
    try (Browser browser = Browser.desktop()) {
      JsonObject info = server.http.get("/eventbus/info").putHeader("Connection", "close").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals(false, info.getBoolean("websocket"), "the server really refuses WebSocket: " + info);
      assertEquals(204, sockJsXhrSendStatus(server), "SockJS's XHR send path carries frames to the server");

      browser.beforeEachPage(COUNT_QUEUE_POLLS);
      browser.open(server.port);
      awaitConnected(browser);
      String transport = browser.js("return progressClient.transport");
      assertNotNull(transport, "a SockJS transport carries the bridge");
      assertNotEquals("websocket", transport);
      long pollsBefore = browser.<Long>js("return window.__polls");
      browser.js("""
          window.__overBridge = 0;
          progressClient.subscribeToProgress(m => {
            if (m.type === 'progress_update' && progressClient.transport === arguments[0]) window.__overBridge++;
          });""", transport);

      String taskId = server.submitText("over-xhr.txt", TestServer.sentences(40)).await(10, TimeUnit.SECONDS).getString("task_id");
      double first = progressOf(browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && progressOf(c) > 0 ? c : null;
      }));
      browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && progressOf(c) > first;
      });
      browser.screenshot("5a-websocket-disabled-" + transport);
      browser.await(d -> runningCard(browser, taskId) == null);
      assertEquals("connected", browser.connectionState(), "no flapping");
      assertEquals(transport, browser.js("return progressClient.transport"), "the same transport throughout");
      assertEquals(pollsBefore, browser.<Long>js("return window.__polls"), "nothing came through GET /api/queue polling");
      assertTrue(browser.<Long>js("return window.__overBridge") > 0, "progress messages arrived over " + transport);
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /** SockJS's non-WebSocket transports send by POSTing to .../xhr_send; 204 when the server takes the frame. */
  private static int sockJsXhrSendStatus(TestServer server) throws Exception {
    String session = "/eventbus/000/probe" + System.nanoTime();
    // Each on its own connection: the server may close one after a poll response, racing the client's reuse.
    String opened = server.http.post(session + "/xhr").putHeader("Connection", "close").send().await(5, TimeUnit.SECONDS).bodyAsString();
    assertEquals("o", opened.trim(), "SockJS XHR polling opens a session");
    return server.http.post(session + "/xhr_send").putHeader("Content-Type", "text/plain").putHeader("Connection", "close")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer("[\"{\\\"type\\\":\\\"ping\\\"}\"]"))
        .await(5, TimeUnit.SECONDS).statusCode();
  }

  @Test
  void withTheBridgeUnreachableThePagePollsAndReturnsToTheBridgeWhenItWorksAgain(Vertx vertx) throws Exception {
    TestServer server = startServer(vertx, dataDir, Map.of());
    try (Browser browser = Browser.desktop()) {
      browser.beforeEachPage(COUNT_QUEUE_POLLS + "\nwindow.transliveClientOptions = {maxReconnectInterval: 2000};")
          .blockUrls(List.of("*/eventbus/*"));
      browser.open(server.port);
      browser.await(d -> "polling".equals(browser.connectionState()));
      assertNull(browser.js("return progressClient.transport"));

      String taskId = server.submitText("polled.txt", TestServer.sentences(40)).await(10, TimeUnit.SECONDS).getString("task_id");
      double first = progressOf(browser.await(d -> {
        Map<String, Object> c = runningCard(browser, taskId);
        return c != null && "translating".equals(c.get("stage")) && progressOf(c) > 0 ? c : null;
      }));
      browser.await(d -> progressOf(runningCard(browser, taskId)) > first);
      assertEquals("polling", browser.connectionState());
      browser.screenshot("5b-bridge-blocked-polling");
      long polls = browser.<Long>js("return window.__polls");
      assertTrue(polls >= 2, "GET /api/queue was polled: " + polls);
      assertEquals(1L, browser.<Long>js("return window.__maxPollsInFlight"), "polls never overlap");

      browser.blockUrls(List.of());
      browser.await(d -> "connected".equals(browser.connectionState()));
      long pollsWhenBack = browser.<Long>js("return window.__polls");
      browser.await(d -> runningCard(browser, taskId) == null);
      assertEquals(pollsWhenBack, browser.<Long>js("return window.__polls"), "polling stops once the bridge works");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pageRestoredFromTheBackForwardCacheReconnectsAndCatchesUp(Vertx vertx) throws Exception {
    onLivePage(vertx, dataDir, Map.of(), (server, browser) -> {
      browser.js("window.__states = []; progressClient.subscribeToConnection(c => window.__states.push(c.state));");
      browser.upload(textFile(files, "finished-while-away.txt", 20));
      String taskId = newestMyTask(browser);
      browser.await(d -> runningCard(browser, taskId) != null);

      // What the browser fires when it puts the page into the back/forward cache and brings it back.
      browser.js("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}));");
      server.awaitFinished(taskId).await(20, TimeUnit.SECONDS);
      assertTrue(runningCard(browser, taskId) != null, "a cached page gets no updates (its socket is closed)");

      browser.js("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));");
      browser.await(d -> "completed".equals(myTaskStatus(browser, taskId)) && runningCard(browser, taskId) == null);
      awaitConnected(browser);
      List<String> states = browser.js("return window.__states");
      assertTrue(states.lastIndexOf("reconnecting") > 0 && states.lastIndexOf("connected") > states.lastIndexOf("reconnecting"),
          "reconnecting, then connected: " + states);
    });
  }

  /**
   * The server goes away mid-task: the page says so within 2 s (banner, countdown stopped, Cancel
   * disabled with the reason), is live again within 3 s of the server answering, and then shows what
   * the new server says, not the old state.
   */
  @Test
  void whenTheServerDiesThePageIsVisiblyStaleAndLiveAgainSoonAfterItIsBack(Vertx vertx) throws Exception {
    TestServer first = startServer(vertx, dataDir, Map.of());
    int port = first.port;
    TestServer second = null;
    boolean firstStopped = false;
    try (Browser browser = Browser.desktop()) {
      browser.open(port);
      awaitConnected(browser);
      browser.js("window.__states = []; progressClient.subscribeToConnection(c => window.__states.push(c.state));");
      browser.upload(textFile(files, "interrupted.txt", 400));
      String interrupted = newestMyTask(browser);
      browser.await(d -> {
        Map<String, Object> c = runningCard(browser, interrupted);
        return c != null && ((String) c.get("eta")).endsWith(" left");
      });
      assertFalse(staleBannerShown(browser));

      first.stop().await(10, TimeUnit.SECONDS);
      firstStopped = true;
      browser.await(Duration.ofSeconds(2), d -> staleBannerShown(browser));
      assertTrue(browser.<Boolean>js("return document.body.classList.contains('stale')"), "the live panels are dimmed");
      WebElement cancel = browser.find(".my-task[data-task-id='" + interrupted + "'] .cancel-button");
      assertFalse(cancel.isEnabled(), "Cancel needs the server");
      assertTrue(cancel.getDomAttribute("title").contains("server"), "and says why: " + cancel.getDomAttribute("title"));
      assertEquals("true", browser.find("#drop-zone").getDomAttribute("aria-disabled"), "so does uploading");
      String frozen = (String) runningCard(browser, interrupted).get("eta");
      // Long enough for the page's one-second countdown to have ticked twice.
      browser.js("return new Promise(r => setTimeout(r, 2500))");
      assertEquals(frozen, runningCard(browser, interrupted).get("eta"), "the countdown stands still while stale");
      browser.screenshot("6-server-down");

      second = TestServer.start(vertx, TestServer.config(dataDir, slow(Map.of("http.port", port)))).await(20, TimeUnit.SECONDS);
      assertEquals(port, second.port);
      browser.await(Duration.ofSeconds(3), d -> "connected".equals(browser.connectionState()));
      assertFalse(staleBannerShown(browser));
      List<String> states = browser.js("return window.__states");
      assertTrue(states.indexOf("reconnecting") > 0 && states.lastIndexOf("connected") > states.indexOf("reconnecting"),
          "reconnecting, then connected: " + states);

      // Resynchronised: the interrupted task shows what the new server says of it, not a stale card.
      TestServer restarted = second;
      browser.await(d -> {
        JsonObject truth = TranslivePage.taskOnServer(restarted, interrupted);
        String status = truth.getString("status");
        boolean cardShown = runningCard(browser, interrupted) != null;
        return status == null
            ? !cardShown && TranslivePage.myTaskText(browser, interrupted).contains("No longer known to the server")
            : status.equals(myTaskStatus(browser, interrupted)) && cardShown == "running".equals(status);
      });

      browser.upload(textFile(files, "after-restart.txt", 20));
      String fresh = browser.await(d -> {
        String newest = newestMyTask(browser);
        return newest.equals(interrupted) ? null : newest;
      });
      browser.await(d -> runningCard(browser, fresh) != null || TranslivePage.queueItem(browser, fresh) != null
          || "completed".equals(myTaskStatus(browser, fresh)));
      browser.screenshot("6-after-restart");
    } finally {
      if (!firstStopped) {
        first.stop().await(10, TimeUnit.SECONDS);
      }
      if (second != null) {
        second.stop().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
