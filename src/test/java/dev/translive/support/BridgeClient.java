package dev.translive.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A browser stand-in: a raw WebSocket at /eventbus/websocket speaking the bridge's frames, recording
 * every frame it receives with its arrival time.
 */
public final class BridgeClient {
  public record Frame(long receivedAt, JsonObject json) {
    public String address() {
      return json.getString("address");
    }

    /** The message body; null for error frames, whose body is a code string. */
    public JsonObject body() {
      return json.getValue("body") instanceof JsonObject body ? body : null;
    }

    public String type() {
      JsonObject body = body();
      return body == null ? null : body.getString("type");
    }
  }

  private final WebSocket socket;
  private final WebSocketClient client;
  public final List<Frame> frames = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile boolean closed;
  private volatile Short closeCode;

  private record Waiter(Predicate<Frame> match, Promise<Frame> promise) {}

  private BridgeClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    // The bridge writes binary frames on the raw WebSocket transport; accept text too.
    socket.handler(data -> {
      Frame frame = new Frame(System.currentTimeMillis(), new JsonObject(data));
      List<Waiter> matched = new ArrayList<>();
      synchronized (waiters) {
        frames.add(frame);
        waiters.removeIf(w -> w.match.test(frame) && matched.add(w));
      }
      // Completed outside the lock: a continuation may wait for the next frame at once.
      matched.forEach(w -> w.promise.tryComplete(frame));
    });
    socket.closeHandler(v -> {
      closed = true;
      closeCode = socket.closeStatusCode();
    });
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, null);
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket");
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return client.connect(options).map(ws -> new BridgeClient(client, ws));
  }

  /** Connects and registers on both outbound addresses. */
  public static Future<BridgeClient> watching(Vertx vertx, int port) {
    return connect(vertx, port).map(c -> c.register("translive.progress").register("translive.queue"));
  }

  public BridgeClient register(String address) {
    return send(new JsonObject().put("type", "register").put("address", address));
  }

  public BridgeClient send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
    return this;
  }

  /** The first frame, past or future, that matches. */
  public Future<Frame> await(Predicate<Frame> match) {
    synchronized (waiters) {
      for (Frame f : frames) {
        if (match.test(f)) {
          return Future.succeededFuture(f);
        }
      }
      Promise<Frame> promise = Promise.promise();
      waiters.add(new Waiter(match, promise));
      return promise.future();
    }
  }

  /** The frames received before {@code frame} (all of them when it was not received), a snapshot. */
  public List<Frame> framesBefore(Frame frame) {
    List<Frame> all = List.copyOf(frames);
    int at = all.indexOf(frame);
    return at < 0 ? all : all.subList(0, at);
  }

  /** Frames of {@code taskId} received before {@code frame}. */
  public List<Frame> ofTaskBefore(String taskId, Frame frame) {
    return framesBefore(frame).stream().filter(f -> f.body() != null && taskId.equals(f.body().getString("task_id"))).toList();
  }

  /** Whether a frame matching {@code match} arrived before {@code frame}. */
  public boolean anyBefore(Frame frame, Predicate<Frame> match) {
    return framesBefore(frame).stream().anyMatch(match);
  }

  public static Predicate<Frame> startedOf(String taskId) {
    return f -> "task_started".equals(f.type()) && taskId.equals(f.body().getString("task_id"));
  }

  public static Predicate<Frame> progressOf(String taskId) {
    return f -> "progress_update".equals(f.type()) && taskId.equals(f.body().getString("task_id"));
  }

  /** The first frame that matches among those arriving after this call (not the ones already here). */
  public Future<Frame> awaitNext(Predicate<Frame> match) {
    synchronized (waiters) {
      Promise<Frame> promise = Promise.promise();
      waiters.add(new Waiter(match, promise));
      return promise.future();
    }
  }

  public static Predicate<Frame> completedOf(String taskId) {
    return f -> "task_completed".equals(f.type()) && taskId.equals(f.body().getString("task_id"));
  }

  public static Predicate<Frame> ofType(String type) {
    return f -> type.equals(f.type());
  }

  public List<Frame> ofTask(String taskId) {
    return frames.stream().filter(f -> f.body() != null && taskId.equals(f.body().getString("task_id"))).toList();
  }

  public boolean closed() {
    return closed;
  }

  public Short closeCode() {
    return closeCode;
  }

  public Future<Void> close() {
    return closed ? Future.succeededFuture() : socket.close().eventually(client::close);
  }
}
