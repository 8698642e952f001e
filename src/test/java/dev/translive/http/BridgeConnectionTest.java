package dev.translive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.progress.OfficialClient;
import dev.translive.support.BridgeClient;
import dev.translive.support.Eventually;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Connection housekeeping: dead sockets are cleaned up, and compression is off unless configured. */
@ExtendWith(VertxExtension.class)
class BridgeConnectionTest {
  @TempDir Path dataDir;

  @Test
  void aSocketThatStopsPingingIsCleanedUpAndFreesItsSlot(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("bridge.pingTimeoutMs", 1000, "bridge.maxConnections", 1))
        .await(20, TimeUnit.SECONDS);
    BridgeClient silent = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    silent.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);
    assertEquals(1, server.app.bridges().backlog().getInteger("connections"));
    Eventually.holds(silent::closed);
    Eventually.holds(() -> server.app.bridges().backlog().getInteger("connections") == 0);
    // The slot is free again for a live client.
    BridgeClient next = BridgeClient.watching(vertx, server.port).await(5, TimeUnit.SECONDS);
    next.await(BridgeClient.ofType("queue_update")).await(5, TimeUnit.SECONDS);
    next.close();
    server.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void perMessageDeflateIsOffByDefaultAndOnWhenConfigured(Vertx vertx) throws Exception {
    TestServer plain = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    assertNull(extensions(vertx, plain.port), "no compression negotiated by default");
    plain.stop().await(10, TimeUnit.SECONDS);
    TestServer deflate = TestServer.start(vertx, dataDir, Map.of("bridge.compression", true)).await(20, TimeUnit.SECONDS);
    String negotiated = extensions(vertx, deflate.port);
    assertTrue(negotiated != null && negotiated.contains("permessage-deflate"), "negotiated: " + negotiated);
    deflate.stop().await(10, TimeUnit.SECONDS);
  }

  /**
   * The official client (vertx-eventbus.js over sockjs-client) on every SockJS transport a browser
   * may end up on, against the whole service: it registers, asks for the snapshot, and sees a task
   * it did not know about run to task_completed.
   */
  @Test
  void theOfficialClientFollowsATaskOnEveryTransport(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    try {
      for (String transport : OfficialClient.TRANSPORTS) {
        try (OfficialClient client = OfficialClient.connect("http://127.0.0.1:" + server.port + "/eventbus", transport, null)) {
          assertEquals(transport, client.events.get(0).getString("transport"), client.events.toString());
          client.register("translive.progress").register("translive.queue");
          client.await(OfficialClient.ofType("queue_update"));
          client.send("translive.snapshot", new io.vertx.core.json.JsonObject());
          assertTrue(client.await(e -> "reply".equals(e.getString("event"))).getJsonObject("body").containsKey("queue"));
          String id = server.submitText(transport + ".txt", "Hello there. One more sentence.").await(10, TimeUnit.SECONDS)
              .getString("task_id");
          client.await(OfficialClient.message(b -> "task_completed".equals(b.getString("type")) && id.equals(b.getString("task_id"))));
        }
      }
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /** The Sec-WebSocket-Extensions the server accepted for a client that offers compression. */
  private static String extensions(Vertx vertx, int port) throws Exception {
    // Held until the end: Vert.x closes a client nothing references when it is collected, even mid-handshake.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
        .await(5, TimeUnit.SECONDS);
    String value = ws.headers().get("Sec-WebSocket-Extensions");
    ws.close().await(5, TimeUnit.SECONDS);
    client.close().await(5, TimeUnit.SECONDS);
    return value;
  }
}
