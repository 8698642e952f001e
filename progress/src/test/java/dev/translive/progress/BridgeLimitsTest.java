package dev.translive.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits of one socket and one client, over the raw WebSocket transport, and the bridge's own shutdown. */
class BridgeLimitsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private BridgeTransportSuite.Server serve(BridgeOptions options) throws Exception {
    BridgeTransportSuite.Server server = new BridgeTransportSuite.Server(options);
    vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
    return server;
  }

  private record Raw(WebSocket ws, List<JsonObject> frames, CompletableFuture<Short> closed) {
    Raw send(String type, String address) {
      ws.writeTextMessage(new JsonObject().put("type", type).put("address", address).encode());
      return this;
    }
  }

  /** Held: Vert.x closes a client nothing references when it is collected, even mid-handshake. */
  private final List<io.vertx.core.http.WebSocketClient> clients = new CopyOnWriteArrayList<>();

  private Raw raw(BridgeTransportSuite.Server server) throws Exception {
    io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
    clients.add(client);
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.http.actualPort()).setURI("/eventbus/websocket")).await(10, TimeUnit.SECONDS);
    Raw raw = new Raw(ws, new CopyOnWriteArrayList<>(), new CompletableFuture<>());
    ws.handler(b -> raw.frames.add(new JsonObject(b)));
    ws.closeHandler(v -> raw.closed.complete(ws.closeStatusCode()));
    return raw;
  }

  @Test
  void registrationsPastMaxHandlersPerSocketAreRefused() throws Exception {
    BridgeTransportSuite.Server server = serve(new BridgeOptions().setMaxHandlersPerSocket(1));
    Raw socket = raw(server).send("register", BridgeOptions.QUEUE).send("register", BridgeOptions.PROGRESS);
    Eventually.holds(() -> socket.frames.stream().anyMatch(f -> "max_handlers_reached".equals(f.getString("body"))));
    // The first registration holds; the second got nothing.
    server.call(p -> p.startTask("x", 1));
    socket.send("unregister", BridgeOptions.QUEUE).send("register", BridgeOptions.PROGRESS);
    String second = server.call(p -> p.startTask("y", 1));
    Eventually.holds(() -> socket.frames.stream().anyMatch(f -> f.getValue("body") instanceof JsonObject b
        && second.equals(b.getString("task_id"))));
    assertTrue(socket.frames.stream().noneMatch(f -> f.getValue("body") instanceof JsonObject b
        && Messages.TASK_STARTED.equals(b.getString("type")) && !second.equals(b.getString("task_id"))),
        "no progress reached the socket while its one handler was on the queue");
  }

  /**
   * A client that reads nothing: once the bytes written but not flushed pass the limit, the server
   * holds further messages (pending) instead of writing them, and unflushed bytes stay near the limit.
   */
  @Test
  void aSocketThatReadsNothingHoldsAtMostTheUnflushedLimitInWrites() throws Exception {
    long limit = 8192;
    BridgeTransportSuite.Server server = serve(new BridgeOptions().setMaxUnflushedBytesPerSocket(limit)
        .setMaxMessagesPerSecond(1_000_000).setMaxPendingPerSocket(1_000_000));
    io.vertx.core.net.NetSocket stalled = stalledSocket(server, BridgeOptions.PROGRESS);
    Eventually.holds(() -> server.bridge.backlog().getInteger("sockets") == 1);
    long maxUnflushed = 0;
    long pending = 0;
    String name = "n".repeat(2000);
    for (int round = 0; round < 200 && pending == 0; round++) {
      server.call(p -> java.util.stream.IntStream.range(0, 200).mapToObj(i -> p.startTask(name, 1)).toList().size());
      // The hub delivers after the publications: sample while its passes run.
      for (int sample = 0; sample < 5 && pending == 0; sample++) {
        Thread.sleep(10);
        JsonObject backlog = server.call(p -> server.bridge.backlog());
        maxUnflushed = Math.max(maxUnflushed, backlog.getLong("unflushed_bytes"));
        pending = backlog.getLong("pending_messages");
      }
    }
    assertTrue(pending > 0, "messages were held once the socket stopped reading; unflushed at most " + maxUnflushed);
    // One pass may add a batch on top of the limit before the socket counts as backlogged.
    assertTrue(maxUnflushed <= limit + 200 * 2200, "unflushed bytes bounded: " + maxUnflushed);
    // A client that never reads would hold up the server's close handshake at shutdown.
    stalled.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A WebSocket client that never reads a byte (a small receive buffer, paused from the start): it
   * upgrades and registers, written by hand as a browser would frame it.
   */
  private io.vertx.core.net.NetSocket stalledSocket(BridgeTransportSuite.Server server, String address) throws Exception {
    io.vertx.core.net.NetSocket socket = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setReceiveBufferSize(4096))
        .connect(server.http.actualPort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    socket.pause();
    socket.write("GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    // Frames sent with the request could be read as HTTP: register once the socket is open.
    Eventually.holds(() -> server.bridge.backlog().getInteger("sockets") == 1);
    byte[] payload = new JsonObject().put("type", "register").put("address", address).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // FIN + text, masked with a zero key (clients must mask; a zero key leaves the bytes as they are).
    io.vertx.core.buffer.Buffer frame = io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 0x81)
        .appendByte((byte) (0x80 | payload.length)).appendInt(0).appendBytes(payload);
    socket.write(frame);
    return socket;
  }

  @Test
  void oneClientAddressCannotHoldEverySocket() throws Exception {
    BridgeTransportSuite.Server server = serve(new BridgeOptions().setMaxConnections(10).setMaxConnectionsPerClient(2));
    Raw first = raw(server);
    Raw second = raw(server);
    try {
      // Refused right after the upgrade: the client sees the err frame and 4003, or (when the close
      // overtakes it) a failed handshake or a socket already closed; either way the server holds two.
      try {
        Raw third = raw(server);
        assertEquals((short) 4003, third.closed.get(10, TimeUnit.SECONDS));
        // The err frame precedes the close, but a close that overtakes it on the wire is still a refusal.
        assertTrue(third.frames.isEmpty()
            || third.frames.stream().anyMatch(f -> "max_connections_per_client_reached".equals(f.getString("body"))),
            "the only frame a refused socket gets is its reason: " + third.frames);
      } catch (io.netty.handler.codec.http.websocketx.WebSocketHandshakeException | IllegalStateException refusedEarly) {
        // closed before the client could watch it
      }
      Eventually.holds(() -> server.bridge.backlog().getInteger("sockets") == 2);
    } finally {
      first.ws.close().await(10, TimeUnit.SECONDS);
      second.ws.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Before close() unregistered them, the hub's consumers kept taking every progress message. */
  @Test
  void closingTheBridgeUnregistersItsConsumers() throws Exception {
    BridgeTransportSuite.Server server = serve(new BridgeOptions());
    CompletableFuture<Void> closed = new CompletableFuture<>();
    server.call(p -> server.bridge.close().onComplete(ar -> closed.complete(null)));
    closed.get(10, TimeUnit.SECONDS);
    for (String address : List.of(BridgeOptions.PROGRESS, BridgeOptions.QUEUE)) {
      Throwable failure = vertx.eventBus().request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(5000))
          .toCompletionStage().toCompletableFuture().handle((ok, err) -> err).get(10, TimeUnit.SECONDS);
      assertTrue(failure instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS,
          address + " still has a consumer: " + failure);
    }
  }
}
