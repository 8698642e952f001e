package dev.translive.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The progress bridge's promises, checked with the official client (vertx-eventbus.js over
 * sockjs-client) on one SockJS transport; one subclass per transport, in the style of vertx-web's
 * EventbusBridgeTest. The server is the progress layer alone: a ProgressBroadcaster publishing, a
 * ProgressBridge serving.
 */
abstract class BridgeTransportSuite {
  private static final String PROGRESS = BridgeOptions.PROGRESS;
  private static final String QUEUE = BridgeOptions.QUEUE;

  protected Vertx vertx;
  private final List<OfficialClient> clients = new java.util.ArrayList<>();

  /** sockjs-client's name of the transport under test. */
  abstract String transport();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopAll() throws Exception {
    for (OfficialClient client : clients) {
      client.close();
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** A server publishing through the broadcaster on its own event loop. */
  static final class Server extends VerticleBase {
    final BridgeOptions options;
    final BridgeGroup group = new BridgeGroup(BridgeMetrics.none());
    ProgressBroadcaster broadcaster;
    ProgressBridge bridge;
    HttpServer http;

    Server(BridgeOptions options) {
      this.options = options;
    }

    @Override
    public Future<?> start() {
      broadcaster = new ProgressBroadcaster(vertx, options, new SeqClock());
      Router router = Router.router(vertx);
      return broadcaster.start()
          .compose(v -> ProgressBridge.mount(vertx, router, "/eventbus", options, group, "/sockjs.min.js"))
          .compose(b -> {
            bridge = b;
            return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
          })
          .onSuccess(s -> http = s);
    }

    /** Runs {@code work} on the server's event loop and answers its result. */
    <T> T call(Function<ProgressBroadcaster, T> work) throws Exception {
      CompletableFuture<T> done = new CompletableFuture<>();
      Context ctx = context;
      ctx.runOnContext(v -> {
        try {
          done.complete(work.apply(broadcaster));
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      });
      return done.get(30, TimeUnit.SECONDS);
    }

    String url() {
      return "http://127.0.0.1:" + http.actualPort() + "/eventbus";
    }
  }

  protected Server serve(BridgeOptions options) throws Exception {
    Server server = new Server(options);
    vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
    return server;
  }

  protected OfficialClient connect(Server server) throws Exception {
    OfficialClient client = OfficialClient.connect(server.url(), transport(), null);
    clients.add(client);
    assertEquals("open", client.events.get(0).getString("event"), "the client opened: " + client.events);
    return client;
  }

  @Test
  void theCurrentStateArrivesOnRegisterWithoutANewPublication() throws Exception {
    Server server = serve(new BridgeOptions());
    String task = server.call(p -> {
      String id = p.startTask("report.pdf", 10);
      p.updateProgress(id, 0.4, Stage.TRANSLATING, "Translating", 4, 10, 6.0);
      return id;
    });
    OfficialClient client = connect(server);
    client.register(QUEUE).register(PROGRESS);
    client.await(OfficialClient.ofType(Messages.QUEUE_UPDATE));
    JsonObject progress = client.await(OfficialClient.message(b -> task.equals(b.getString("task_id"))
        && Messages.PROGRESS_UPDATE.equals(b.getString("type")))).getJsonObject("body");
    assertEquals(0.4, progress.getJsonObject("data").getDouble("progress"));
    // And the snapshot the client asks for itself comes back as a reply.
    client.send(BridgeOptions.SNAPSHOT, new JsonObject());
    JsonObject reply = client.await(e -> "reply".equals(e.getString("event")));
    assertTrue(reply.getJsonObject("body").getJsonObject("queue") != null, reply.encode());
  }

  @Test
  void progressConflatesUnderTheRateCapAndLifecycleMessagesAllArriveInOrder() throws Exception {
    Server server = serve(new BridgeOptions().setMaxMessagesPerSecond(2));
    OfficialClient client = watchingProgress(server);
    String task = server.call(p -> {
      String id = p.startTask("big.docx", 100);
      for (int i = 1; i <= 60; i++) {
        p.updateProgress(id, i / 100.0, Stage.TRANSLATING, "Translating", i, 100, null);
      }
      p.completeTask(id, true, "done");
      return id;
    });
    client.await(OfficialClient.message(b -> Messages.TASK_COMPLETED.equals(b.getString("type"))));
    List<JsonObject> got = client.messages(PROGRESS).stream().filter(b -> task.equals(b.getString("task_id"))).toList();
    List<JsonObject> updates = got.stream().filter(b -> Messages.PROGRESS_UPDATE.equals(b.getString("type"))).toList();
    assertTrue(updates.size() < 60, "intermediate progress was conflated: " + updates.size() + " of 60 arrived");
    assertEquals(0.6, updates.get(updates.size() - 1).getJsonObject("data").getDouble("progress"), "the latest progress arrived");
    assertEquals(Messages.TASK_STARTED, got.get(0).getString("type"));
    assertEquals(Messages.TASK_COMPLETED, got.get(got.size() - 1).getString("type"));
    long previous = 0;
    for (JsonObject message : got) {
      assertTrue(message.getLong("seq") > previous, "in seq order");
      previous = message.getLong("seq");
    }
  }

  @Test
  void theRateCapSpreadsMessagesOverTime() throws Exception {
    Server server = serve(new BridgeOptions().setMaxMessagesPerSecond(2));
    OfficialClient client = watchingProgress(server);
    long start = System.currentTimeMillis();
    List<String> tasks = server.call(p -> java.util.stream.IntStream.range(0, 6).mapToObj(i -> p.startTask("t" + i, 1)).toList());
    client.await(OfficialClient.message(b -> tasks.get(5).equals(b.getString("task_id"))));
    long elapsed = System.currentTimeMillis() - start;
    // Two now, two a window later, two a window after that: never faster than the cap allows.
    assertTrue(elapsed >= 2 * RateWindow.WINDOW_MS - 100, "6 messages at 2 a second took " + elapsed + " ms");
    assertEquals(tasks, client.messages(PROGRESS).stream().map(b -> b.getString("task_id")).toList());
  }

  @Test
  void aSocketThatCannotKeepUpIsClosedAsASlowConsumer() throws Exception {
    Server server = serve(new BridgeOptions().setMaxMessagesPerSecond(1).setMaxPendingPerSocket(5));
    OfficialClient client = watchingProgress(server);
    // Lifecycle messages are never conflated: twenty of them at once overflow five pending.
    server.call(p -> java.util.stream.IntStream.range(0, 20).mapToObj(i -> p.startTask("t" + i, 1)).toList());
    assertClosedFor(client, 4009, "slow_consumer");
    assertTrue(client.messages(PROGRESS).size() < 20);
  }

  @Test
  void aFloodingSocketIsClosed() throws Exception {
    Server server = serve(new BridgeOptions().setMaxInboundPerSecond(5));
    OfficialClient client = connect(server);
    client.command(new JsonObject().put("op", "flood").put("address", BridgeOptions.SNAPSHOT).put("n", 100));
    assertClosedFor(client, 4008, "flooding");
    assertTrue(client.events.stream().filter(e -> "reply".equals(e.getString("event")) && e.getValue("body") != null)
        .count() <= 6, "frames over the limit were refused");
  }

  /**
   * Closed, and told why: on WebSocket by the close code; vertx-web's fallback sessions always close
   * with SockJS's 3000 "Go away!", so there the err frame before it says why.
   */
  private void assertClosedFor(OfficialClient client, int code, String reason) throws Exception {
    JsonObject closed = client.await(OfficialClient.closed());
    if (transport().equals("websocket")) {
      assertEquals(code, closed.getInteger("code"), closed.encode());
    }
    assertTrue(client.events.stream().anyMatch(e -> "err".equals(e.getString("event")) && reason.equals(e.getString("body"))),
        "told why: " + client.events);
  }

  /**
   * A client registered on progress. Registration is asynchronous: the queue state pushed on its
   * second registration, which the bridge handles in order, says the first is in place.
   */
  private OfficialClient watchingProgress(Server server) throws Exception {
    OfficialClient client = connect(server);
    client.register(PROGRESS).register(QUEUE);
    client.await(OfficialClient.ofType(Messages.QUEUE_UPDATE));
    return client;
  }
}
