package dev.translive.progress;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of the event bus: admits sockets up to the connection cap, permits exactly the
 * contract's addresses, and fans each published message out to subscribed sockets through their
 * {@link SocketChannel} (rate cap, conflation), serialized once for all of them.
 *
 * <p>Registrations are rewritten to an inert address so the bridge does not create an event-bus
 * consumer that would copy and encode every message once per socket; this hub delivers instead.
 */
final class BridgeHub implements Handler<BridgeEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeHub.class);
  private static final String INERT_PREFIX = "translive.internal.bridge.inert.";
  /** Latest progress kept per running task, for sockets that register mid-task; bounded. */
  private static final int MAX_TRACKED_TASKS = 1000;

  private final Vertx vertx;
  private final BridgeOptions settings;
  private final AtomicInteger connections;
  private final BridgeMetrics metrics;
  private final Map<SockJSSocket, SocketChannel> channels = new HashMap<>();
  /** Latest progress frame of each running task, with its conflation key, for sockets that register mid-task. */
  private final LinkedHashMap<String, Keyed> latestProgress = new LinkedHashMap<>();

  private record Keyed(String key, Buffer frame) {}
  private Buffer latestQueue;
  /** Frames waiting for the next fan-out pass, conflated by key like a socket's own backlog. */
  private final LinkedHashMap<String, Outgoing> dirty = new LinkedHashMap<>();
  private boolean passScheduled;
  private long lastPassStart;
  private final List<MessageConsumer<JsonObject>> consumers = new java.util.ArrayList<>();

  BridgeHub(Vertx vertx, BridgeOptions settings, BridgeGroup group) {
    this.vertx = vertx;
    this.settings = settings;
    this.connections = group.connections();
    this.metrics = group.metrics();
  }

  SockJSBridgeOptions bridgeOptions() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(settings.snapshotAddress()))
        .setMaxHandlersPerSocket(settings.maxHandlersPerSocket())
        .setPingTimeout(settings.pingTimeoutMs())
        .setMaxAddressLength(64)
        .setReplyTimeout(10_000);
    for (String address : settings.outbound()) {
      options.addOutboundPermitted(new PermittedOptions().setAddress(inert(address)));
    }
    return options;
  }

  /** Starts listening to the published addresses and seeds the latest state from the queue owner. */
  Future<Void> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(settings.progressAddress(), msg -> onProgress(msg.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(settings.queueAddress(), msg -> onQueue(msg.body())));
    vertx.eventBus().<JsonObject>request(settings.snapshotAddress(), null)
        .onSuccess(reply -> {
          JsonObject snapshot = reply.body();
          if (latestQueue == null && snapshot.getJsonObject("queue") != null) {
            latestQueue = frame(settings.queueAddress(), snapshot.getJsonObject("queue"));
          }
          JsonArray progress = snapshot.getJsonArray("progress", new JsonArray());
          for (int i = 0; i < progress.size(); i++) {
            JsonObject p = progress.getJsonObject(i);
            latestProgress.putIfAbsent(Messages.taskId(p),
                new Keyed(progressKey(Messages.taskId(p), p), frame(settings.progressAddress(), p)));
          }
        })
        .onFailure(err -> LOG.debug("No snapshot yet: {}", err.getMessage()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  int socketCount() {
    return channels.size();
  }

  /** Memory held for sockets: waiting messages and bytes not yet written out, for /health and the tests. */
  JsonObject backlog() {
    long pending = 0;
    long unflushed = 0;
    for (SocketChannel channel : channels.values()) {
      pending += channel.pendingCount();
      unflushed += channel.unflushedBytes();
    }
    return new JsonObject().put("sockets", channels.size()).put("pending_messages", pending).put("unflushed_bytes", unflushed);
  }

  // ---- fan-out ---------------------------------------------------------------------------

  private void onProgress(JsonObject message) {
    Buffer frame = frame(settings.progressAddress(), message);
    String type = Messages.type(message);
    String taskId = Messages.taskId(message);
    String key;
    if (Messages.PROGRESS_UPDATE.equals(type)) {
      key = progressKey(taskId, message);
      latestProgress.remove(taskId);
      latestProgress.put(taskId, new Keyed(key, frame));
      if (latestProgress.size() > MAX_TRACKED_TASKS) {
        latestProgress.remove(latestProgress.keySet().iterator().next());
      }
    } else {
      // Unique per message even across nodes whose seq clocks may coincide.
      key = "l:" + type + ":" + taskId + ":" + message.getValue("seq");
      if (Messages.TASK_COMPLETED.equals(type)) {
        latestProgress.remove(taskId);
      }
    }
    deliver(settings.progressAddress(), key, frame);
  }

  private void onQueue(JsonObject message) {
    latestQueue = frame(settings.queueAddress(), message);
    deliver(settings.queueAddress(), "q", latestQueue);
  }

  /**
   * Collects a frame for the next fan-out pass. Passes run at once when idle and at most every
   * {@code fanOutIntervalMs} under load, so a burst of publications costs one pass over the sockets,
   * the newest state of each task wins, and this event loop never falls behind the bus.
   */
  private void deliver(String address, String key, Buffer frame) {
    if (channels.isEmpty()) {
      return;
    }
    if (dirty.remove(key) != null) {
      metrics.conflated();
    }
    dirty.put(key, new Outgoing(address, frame));
    schedulePass();
  }

  private record Outgoing(String address, Buffer frame) {}

  /**
   * Progress conflates within a stage only: a newer update of the same stage replaces the older,
   * but every stage a task went through still reaches every client, in order.
   */
  private static String progressKey(String taskId, JsonObject message) {
    JsonObject data = message.getJsonObject("data");
    return "p:" + taskId + ":" + (data == null ? "" : data.getString("stage", ""));
  }

  private void schedulePass() {
    if (passScheduled) {
      return;
    }
    passScheduled = true;
    // Timed from the start of the previous pass: a slow pass does not also delay the next by a full interval.
    long wait = lastPassStart + settings.fanOutIntervalMs() - System.currentTimeMillis();
    if (wait <= 0) {
      vertx.runOnContext(v -> pass());
    } else {
      vertx.setTimer(wait, id -> pass());
    }
  }

  private void pass() {
    passScheduled = false;
    lastPassStart = System.currentTimeMillis();
    List<Map.Entry<String, Outgoing>> batch = new java.util.ArrayList<>(dirty.entrySet());
    dirty.clear();
    for (SocketChannel channel : channels.values()) {
      for (Map.Entry<String, Outgoing> entry : batch) {
        if (channel.subscribed(entry.getValue().address())) {
          channel.offer(entry.getKey(), entry.getValue().frame());
        }
      }
    }
    if (!dirty.isEmpty()) {
      schedulePass();
    }
  }

  /** The bridge's "rec" envelope, encoded once and shared by every socket. */
  private static Buffer frame(String address, JsonObject body) {
    return new JsonObject().put("type", "rec").put("address", address).put("body", body).toBuffer();
  }

  // ---- bridge events ---------------------------------------------------------------------

  @Override
  public void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> admit(event);
      case SOCKET_CLOSED -> {
        SocketChannel channel = channels.remove(socket);
        if (channel != null) {
          channel.close();
          connections.decrementAndGet();
        }
        event.complete(true);
      }
      case REGISTER, UNREGISTER -> subscription(event, type == BridgeEventType.REGISTER);
      case SEND, PUBLISH -> inbound(event, type == BridgeEventType.SEND);
      case SOCKET_PING -> {
        SocketChannel channel = channels.get(socket);
        event.complete(channel == null || channel.inbound(settings.maxInboundPerSecond()) != SocketChannel.InboundVerdict.CLOSE);
      }
      case RECEIVE -> receive(event);
      default -> event.complete(true);
    }
  }

  private void admit(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    if (connections.incrementAndGet() > settings.maxConnections()) {
      connections.decrementAndGet();
      metrics.refused();
      LOG.warn("Refused a bridge connection: {} connections is the cap (bridge.maxConnections)", settings.maxConnections());
      socket.write(error("max_connections_reached", "this server accepts " + settings.maxConnections() + " live connections; try again later"));
      socket.close(4003, "max_connections_reached");
      event.complete(false);
      return;
    }
    channels.put(socket, new SocketChannel(vertx, socket, settings.progressAddress(), settings.maxMessagesPerSecond(),
        settings.maxPendingPerSocket(),
        settings.maxUnflushedBytesPerSocket(), metrics, () -> closeSlowConsumer(socket)));
    event.complete(true);
  }

  private void subscription(BridgeEvent event, boolean register) {
    SocketChannel channel = channels.get(event.socket());
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    if (channel == null || address == null || !settings.outbound().contains(address)) {
      metrics.refused();
      event.complete(false);
      return;
    }
    if (!countInbound(event, channel)) {
      return;
    }
    raw.put("address", inert(address));
    channel.subscribe(address, register);
    event.complete(true);
    if (register) {
      // No blank screen: the current state goes out at once, not at the next change.
      if (address.equals(settings.queueAddress()) && latestQueue != null) {
        channel.offer("q", latestQueue);
      } else if (address.equals(settings.progressAddress())) {
        latestProgress.values().forEach(latest -> channel.offer(latest.key(), latest.frame()));
      }
    }
  }

  private void inbound(BridgeEvent event, boolean send) {
    SocketChannel channel = channels.get(event.socket());
    JsonObject raw = event.getRawMessage();
    if (channel == null || !countInbound(event, channel)) {
      return;
    }
    boolean snapshot = send && raw != null && settings.snapshotAddress().equals(raw.getString("address"));
    if (!snapshot) {
      metrics.refused();
    } else if (raw.getValue("body") instanceof JsonObject body && body.getBoolean("reconnect", false)) {
      // Clients ask for the snapshot on every connect and say when it is a reconnect.
      metrics.reconnected();
    }
    event.complete(snapshot);
  }

  /** Applies the inbound cap; completes the event (refused) and answers false when over it. */
  private boolean countInbound(BridgeEvent event, SocketChannel channel) {
    SocketChannel.InboundVerdict verdict = channel.inbound(settings.maxInboundPerSecond());
    if (verdict == SocketChannel.InboundVerdict.ACCEPT) {
      return true;
    }
    metrics.refused();
    event.complete(false);
    if (verdict == SocketChannel.InboundVerdict.CLOSE) {
      LOG.warn("Closing a bridge socket that floods (over {} frames a second)", settings.maxInboundPerSecond());
      event.socket().write(error("flooding", "too many frames; the limit is " + settings.maxInboundPerSecond() + " a second"));
      event.socket().close(4008, "flooding");
    }
    return false;
  }

  /** Replies from the bridge (the snapshot) count against the same per-second cap. */
  private void receive(BridgeEvent event) {
    SocketChannel channel = channels.get(event.socket());
    if (channel == null || channel.tryAcquireForReply()) {
      event.complete(true);
      return;
    }
    vertx.setTimer(Math.max(1, channel.nextFreeAt() - System.currentTimeMillis()), id -> receive(event));
  }

  private void closeSlowConsumer(SockJSSocket socket) {
    LOG.warn("Closing a bridge socket that does not keep up ({} messages waiting)", settings.maxPendingPerSocket());
    // Out of the fan-out at once; the connection count drops when SOCKET_CLOSED arrives.
    SocketChannel channel = channels.get(socket);
    if (channel != null) {
      channel.close();
    }
    socket.close(4009, "slow_consumer");
  }


  private static Buffer error(String code, String message) {
    return new JsonObject().put("type", "err").put("body", code).put("message", message).toBuffer();
  }

  static String inert(String address) {
    return INERT_PREFIX + address;
  }
}
