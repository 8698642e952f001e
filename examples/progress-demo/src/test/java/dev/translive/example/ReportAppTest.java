package dev.translive.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.progress.BridgeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedding application gets live progress, the rate cap, the snapshot and the browser client. */
@ExtendWith(VertxExtension.class)
class ReportAppTest {

  record Received(long at, JsonObject frame) {
    JsonObject body() {
      return frame.getJsonObject("body");
    }
  }

  private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
  /** Held: Vert.x closes a client nothing references when it is collected, even mid-handshake. */
  private final List<io.vertx.core.http.WebSocketClient> clients = new CopyOnWriteArrayList<>();

  private List<Received> watch(Vertx vertx, int port) throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
    clients.add(client);
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/eventbus/websocket")).await(5, TimeUnit.SECONDS);
    sockets.add(ws);
    ws.handler(data -> received.add(new Received(System.currentTimeMillis(), new JsonObject(data))));
    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "translive.progress").encode());
    ws.writeTextMessage(new JsonObject().put("type", "register").put("address", "translive.queue").encode());
    return received;
  }

  private static boolean has(List<Received> frames, String type) {
    return frames.stream().anyMatch(r -> r.body() != null && type.equals(r.body().getString("type")));
  }

  @Test
  void jobsShowLiveThroughTheEmbeddedProgressLayer(Vertx vertx) throws Exception {
    int cap = 5;
    ReportApp app = new ReportApp(0, new BridgeOptions().setMaxMessagesPerSecond(cap), 40);
    vertx.deployVerticle(app).await(10, TimeUnit.SECONDS);
    int port = app.actualPort();
    List<Received> early = watch(vertx, port);
    WebClient http = WebClient.create(vertx);
    assertEquals(202, http.post(port, "127.0.0.1", "/jobs?name=q3.pdf&steps=60").send().await(5, TimeUnit.SECONDS).statusCode());

    // A page opened mid-job gets the current state at once, without waiting for the next step.
    Thread.sleep(600);
    long connectedAt = System.currentTimeMillis();
    List<Received> late = watch(vertx, port);
    long deadline = System.currentTimeMillis() + 5000;
    while (!has(late, "progress_update") && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Received first = late.stream().filter(r -> r.body() != null && "progress_update".equals(r.body().getString("type")))
        .findFirst().orElseThrow();
    assertTrue(first.at() - connectedAt < 500, "snapshot on connect");

    deadline = System.currentTimeMillis() + 20_000;
    while (!has(early, "task_completed") && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(has(early, "task_started"));
    assertTrue(has(early, "task_completed"), "the job finished and every client heard it");
    JsonObject completed = early.stream().filter(r -> r.body() != null && "task_completed".equals(r.body().getString("type")))
        .findFirst().orElseThrow().body();
    assertEquals("q3.pdf", completed.getJsonObject("data").getString("filename"));
    assertEquals("Report ready", completed.getJsonObject("data").getString("message"));

    // 60 steps at 25 a second against a cap of 5: conflated, never over the cap, progress monotonic.
    double last = -1;
    for (int i = 0; i < early.size(); i++) {
      if (i + cap < early.size()) {
        assertTrue(early.get(i + cap).at() - early.get(i).at() >= 900, "over the cap");
      }
      JsonObject body = early.get(i).body();
      if (body != null && "progress_update".equals(body.getString("type"))) {
        double p = body.getJsonObject("data").getDouble("progress");
        assertTrue(p >= last, "progress went back");
        last = p;
      }
    }
    assertTrue(early.size() < 40, "conflated: " + early.size() + " frames for 60 steps");

    // The browser client ships with the layer, and polling clients read the snapshot over HTTP.
    assertEquals(200, http.get(port, "127.0.0.1", "/translive-progress/js/progress_client.js").send().await(5, TimeUnit.SECONDS).statusCode());
    assertEquals(200, http.get(port, "127.0.0.1", "/translive-progress/vendor/sockjs.min.js").send().await(5, TimeUnit.SECONDS).statusCode());
    JsonObject snapshot = http.get(port, "127.0.0.1", "/api/queue").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
    assertEquals("queue_update", snapshot.getJsonObject("queue").getString("type"));
    for (WebSocket ws : sockets) {
      ws.close().await(5, TimeUnit.SECONDS);
    }
    http.close();
  }
}
