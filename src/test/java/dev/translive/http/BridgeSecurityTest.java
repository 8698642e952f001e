package dev.translive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.Eventually;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The bridge refuses everything it was not built for. */
@ExtendWith(VertxExtension.class)
class BridgeSecurityTest {
  @TempDir Path dataDir;

  @Test
  void forgedSendsPublishesAndRegistrationsAreRefused(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    AtomicInteger reachedBus = new AtomicInteger();
    for (String address : List.of("translive.tasks.cancel", "translive.tasks.submit", "translive.internal.queue.finished",
        "translive.progress", "translive.internal.bridge.inert.translive.queue")) {
      vertx.eventBus().consumer(address, msg -> reachedBus.incrementAndGet());
    }
    BridgeClient client = BridgeClient.connect(vertx, server.port).await(5, TimeUnit.SECONDS);
    client.send(frame("send", "translive.tasks.cancel").put("body", new JsonObject().put("task_id", "x")).put("replyAddress", "r1"));
    client.send(frame("publish", "translive.progress").put("body", new JsonObject().put("type", "task_completed")));
    client.send(frame("send", "translive.internal.queue.finished").put("body", new JsonObject()));
    client.send(frame("register", "translive.tasks.submit"));
    client.send(frame("register", "translive.internal.bridge.inert.translive.queue"));
    Eventually.holds(() -> client.frames.stream().filter(f -> "err".equals(f.json().getString("type"))).count() >= 5);
    for (Frame f : client.frames) {
      if ("err".equals(f.json().getString("type"))) {
        assertTrue(List.of("rejected", "access_denied").contains(f.json().getString("body")), f.json().encode());
      }
    }
    // The permitted ones still work; their answer travels the bus after every forged frame was
    // handled, so a forged message that got through would have been counted by then.
    client.register("translive.queue");
    client.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);
    assertEquals(0, reachedBus.get(), "nothing forged reached the event bus");
    client.close();

    // A frame over bridge.maxFrameBytes ends the socket.
    BridgeClient big = BridgeClient.connect(vertx, server.port).await(5, TimeUnit.SECONDS);
    big.send(frame("send", "translive.snapshot").put("replyAddress", "x").put("body", new JsonObject().put("pad", "x".repeat(40_000))));
    Eventually.holds(big::closed);
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aForeignOriginCannotOpenTheBridgeButLocalAndConfiguredOnesCan(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("http.allowedOrigins",
        new io.vertx.core.json.JsonArray().add("https://translate.example.org"))).await(20, TimeUnit.SECONDS);
    try {
      BridgeClient.connect(vertx, server.port, "https://evil.example.com").toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      throw new AssertionError("a foreign origin opened the bridge");
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof UpgradeRejectedException, e.getCause().toString());
      assertEquals(403, ((UpgradeRejectedException) e.getCause()).getStatus());
    }
    var xhr = server.http.post("/eventbus/000/abcdefgh/xhr").putHeader("Origin", "https://evil.example.com").send()
        .await(5, TimeUnit.SECONDS);
    assertEquals(403, xhr.statusCode(), "the XHR transport is refused too");

    for (String origin : List.of("http://localhost:9980", "https://translate.example.org", "http://127.0.0.1:" + server.port)) {
      BridgeClient ok = BridgeClient.connect(vertx, server.port, origin).await(5, TimeUnit.SECONDS);
      ok.register("translive.queue").await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);
      ok.close();
    }
    var cors = server.http.post("/eventbus/000/abcdefgi/xhr").putHeader("Origin", "https://translate.example.org").send()
        .await(5, TimeUnit.SECONDS);
    assertEquals(200, cors.statusCode());
    assertEquals("https://translate.example.org", cors.getHeader("Access-Control-Allow-Origin"));
    server.stop().await(10, TimeUnit.SECONDS);
  }

  /** Every fallback transport checks the origin too: EventSource and XHR streaming from a foreign page get 403. */
  @Test
  void aForeignOriginIsRefusedOnTheFallbackTransports(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    try {
      for (String path : List.of("/eventbus/000/abcdefgj/eventsource", "/eventbus/000/abcdefgk/htmlfile?c=x",
          "/eventbus/000/abcdefgl/xhr_streaming", "/eventbus/info")) {
        var refused = server.http.request(path.endsWith("xhr_streaming") ? io.vertx.core.http.HttpMethod.POST
            : io.vertx.core.http.HttpMethod.GET, path).putHeader("Origin", "https://evil.example.com").send()
            .await(5, TimeUnit.SECONDS);
        assertEquals(403, refused.statusCode(), path);
      }
      // Its own origin opens it (sockjs-client in Node sends the header on the EventSource request only
      // when told to; a browser always sends it cross-origin, and the requests above show the refusal).
      try (var client = dev.translive.progress.OfficialClient.connect("http://127.0.0.1:" + server.port + "/eventbus",
          "eventsource", "http://127.0.0.1:" + server.port)) {
        assertEquals("open", client.events.get(0).getString("event"), client.events.toString());
      }
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFloodingSocketIsClosedAndOthersAreNot(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("bridge.maxInboundPerSecond", 5)).await(20, TimeUnit.SECONDS);
    BridgeClient calm = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    BridgeClient flooder = BridgeClient.connect(vertx, server.port).await(5, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      flooder.send(frame("send", "translive.snapshot").put("replyAddress", "r" + i).put("body", new JsonObject()));
    }
    Eventually.holds(flooder::closed);
    assertTrue(flooder.frames.stream().anyMatch(f -> "flooding".equals(f.json().getString("body"))),
        "the socket is told why it was closed");
    assertTrue(flooder.frames.stream().filter(f -> f.address() != null && f.address().startsWith("r")).count() <= 6,
        "frames over the limit were refused");
    String id = server.submitText("still.txt", "Still working.").await(5, TimeUnit.SECONDS).getString("task_id");
    calm.await(BridgeClient.completedOf(id)).await(10, TimeUnit.SECONDS);
    assertFalse(calm.closed());
    calm.close();
    server.stop().await(10, TimeUnit.SECONDS);
  }

  /**
   * A client that reads nothing while 1,200 messages are due to it: the server holds at most
   * maxPendingPerSocket of them (conflated), then closes the socket; heap stays within 16 MB.
   */
  @Test
  void aClientThatReadsNothingCannotGrowServerMemoryWithoutBound(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 0, "queue.concurrency", 4,
        "bridge.maxPendingPerSocket", 300, "queue.maxQueued", 1000)).await(20, TimeUnit.SECONDS);
    WebSocket stalled = vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.port).setURI("/eventbus/websocket")).await(5, TimeUnit.SECONDS);
    stalled.writeTextMessage(frame("register", "translive.progress").encode());
    stalled.writeTextMessage(frame("register", "translive.queue").encode());
    Thread.sleep(200);
    stalled.pause();
    long heapBefore = usedHeapAfterGc();

    List<io.vertx.core.Future<?>> submits = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      submits.add(vertx.eventBus().request("translive.tasks.submit", Buffer.buffer("Tiny task " + i + "."),
          new DeliveryOptions().addHeader("filename", "t" + i + ".txt")));
    }
    io.vertx.core.Future.all(submits).await(60, TimeUnit.SECONDS);
    long maxPending = 0;
    long deadline = System.currentTimeMillis() + 60_000;
    JsonObject backlog;
    do {
      backlog = server.app.bridges().backlog();
      maxPending = Math.max(maxPending, backlog.getLong("pending_messages"));
      Thread.sleep(50);
    } while (backlog.getInteger("sockets") > 0 && System.currentTimeMillis() < deadline);
    assertEquals(0, backlog.getInteger("sockets"), "the stalled socket was closed");
    assertTrue(maxPending <= 301, "pending messages bounded: " + maxPending);
    long growth = usedHeapAfterGc() - heapBefore;
    assertTrue(growth < 16 * 1024 * 1024, "heap grew by " + growth / 1024 + " KB");
    server.stop().await(10, TimeUnit.SECONDS);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static JsonObject frame(String type, String address) {
    return new JsonObject().put("type", type).put("address", address);
  }

}
