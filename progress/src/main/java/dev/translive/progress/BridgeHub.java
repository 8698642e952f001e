package dev.translive.progress;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of the event bus: admits sockets up to the connection caps, permits exactly the
 * contract's addresses, and fans each published message out to subscribed sockets through their
 * {@link SocketChannel} (rate cap, conflation), encoded once for all of them.
 *
 * <p>Registrations are bookkeeping here: no socket has an event-bus consumer of its own (locally or,
 * in a cluster, in Hazelcast). WebSocket clients, raw and SockJS, are served by {@link WebSocketBridge}
 * and reach this hub through {@link #onFrame}; the fallback transports come through vertx-web's SockJS
 * bridge, whose registrations are rewritten to an inert address for the same reason.
 */
final class BridgeHub implements Handler<BridgeEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeHub.class);
  private static final String INERT_PREFIX = "translive.internal.bridge.inert.";
  private static final long REPLY_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final BridgeOptions settings;
  private final BridgeGroup group;
  private final BridgeMetrics metrics;
  /** Every open socket of this hub, keyed by its transport object (ServerWebSocket or SockJSSocket). */
  private final Map<Object, SocketChannel> channels = new HashMap<>();
  /**
   * Sockets that registered since the last snapshot request, per address: one request to the owner
   * of the latest state (the snapshot address) serves all of them, so the hub keeps no copy of it.
   */
  private final Map<SocketChannel, Boolean> awaitingSnapshot = new java.util.LinkedHashMap<>();
  private boolean snapshotInFlight;
  /** Frames waiting for the next fan-out pass, conflated by key like a socket's own backlog. */
  private final LinkedHashMap<String, Outgoing> dirty = new LinkedHashMap<>();
  private boolean passScheduled;
  private long lastPassStart;
  private long sweepTimer = -1;
  private long lastHeartbeat = System.currentTimeMillis();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final SocketChannel.Batch batch = new SocketChannel.Batch();

  BridgeHub(Vertx vertx, BridgeOptions settings, BridgeGroup group) {
    this.vertx = vertx;
    this.settings = settings;
    this.group = group;
    this.metrics = group.metrics();
  }

  BridgeOptions settings() {
    return settings;
  }

  SockJSBridgeOptions bridgeOptions() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(settings.getSnapshotAddress()))
        .setMaxHandlersPerSocket(settings.getMaxHandlersPerSocket())
        .setPingTimeout(settings.getPingTimeoutMs())
        .setMaxAddressLength(64)
        .setReplyTimeout(REPLY_TIMEOUT_MS);
    for (String address : settings.outbound()) {
      options.addOutboundPermitted(new PermittedOptions().setAddress(inert(address)));
    }
    return options;
  }

  /** Starts listening to the published addresses and seeds the latest state from the queue owner. */
  Future<Void> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(settings.getProgressAddress(), msg -> onProgress(msg.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(settings.getQueueAddress(), msg -> onQueue(msg.body())));
    long every = Math.max(50, Math.min(settings.getHeartbeatMs(), settings.getPingTimeoutMs() / 4));
    sweepTimer = vertx.setPeriodic(every, id -> sweep());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /** Stops listening: unregisters the hub's consumers and closes its sockets. */
  Future<Void> stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    for (SocketChannel channel : List.copyOf(channels.values())) {
      close(channel, 1001, "going_away", null);
    }
    List<Future<Void>> done = consumers.stream().map(MessageConsumer::unregister).toList();
    consumers.clear();
    return Future.all(done).mapEmpty();
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
    Encoded frame = frame(settings.getProgressAddress(), message);
    String type = Messages.type(message);
    String taskId = Messages.taskId(message);
    String key;
    if (Messages.PROGRESS_UPDATE.equals(type)) {
      key = progressKey(taskId, message);
    } else {
      // Unique per message even across nodes whose seq clocks may coincide.
      key = "l:" + type + ":" + taskId + ":" + message.getValue("seq");
    }
    deliver(settings.getProgressAddress(), key, frame);
  }

  private void onQueue(JsonObject message) {
    deliver(settings.getQueueAddress(), "q", frame(settings.getQueueAddress(), message));
  }

  /**
   * Collects a frame for the next fan-out pass. Passes run at once when idle and at most every
   * {@code fanOutIntervalMs} under load, so a burst of publications costs one pass over the sockets,
   * the newest state of each task wins, and this event loop never falls behind the bus.
   */
  private void deliver(String address, String key, Encoded frame) {
    if (channels.isEmpty()) {
      return;
    }
    if (dirty.remove(key) != null) {
      metrics.conflated();
    }
    dirty.put(key, new Outgoing(address, frame));
    schedulePass();
  }

  private record Outgoing(String address, Encoded frame) {}

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
    long wait = lastPassStart + settings.getFanOutIntervalMs() - System.currentTimeMillis();
    if (wait <= 0) {
      vertx.runOnContext(v -> pass());
    } else {
      vertx.setTimer(wait, id -> pass());
    }
  }

  /** One pass over the sockets: each gets everything due to it as one write. */
  private void pass() {
    passScheduled = false;
    lastPassStart = System.currentTimeMillis();
    int n = dirty.size();
    String[] keys = new String[n];
    Encoded[] frames = new Encoded[n];
    boolean[] toProgress = new boolean[n];
    int i = 0;
    for (Map.Entry<String, Outgoing> entry : dirty.entrySet()) {
      keys[i] = entry.getKey();
      frames[i] = entry.getValue().frame();
      toProgress[i] = entry.getValue().address().equals(settings.getProgressAddress());
      i++;
    }
    dirty.clear();
    String[] someKeys = new String[n];
    Encoded[] someFrames = new Encoded[n];
    for (SocketChannel channel : List.copyOf(channels.values())) {
      boolean progress = channel.subscribed(settings.getProgressAddress());
      boolean queue = channel.subscribed(settings.getQueueAddress());
      if (progress && queue) {
        channel.offer(keys, frames, n);
      } else if (progress || queue) {
        int m = 0;
        for (int j = 0; j < n; j++) {
          if (toProgress[j] == progress) {
            someKeys[m] = keys[j];
            someFrames[m++] = frames[j];
          }
        }
        channel.offer(someKeys, someFrames, m);
      }
    }
    if (!dirty.isEmpty()) {
      schedulePass();
    }
  }

  /** Closes sockets that stopped pinging and sends the SockJS heartbeat: one timer for all sockets. */
  private void sweep() {
    long now = System.currentTimeMillis();
    boolean beat = now - lastHeartbeat >= settings.getHeartbeatMs();
    if (beat) {
      lastHeartbeat = now;
    }
    for (SocketChannel channel : List.copyOf(channels.values())) {
      if (!channel.outlet.swept() || channel.closed) {
        continue;
      }
      if (now - channel.lastPing > settings.getPingTimeoutMs()) {
        LOG.debug("Closing a bridge socket that stopped pinging");
        close(channel, 1000, "ping_timeout", null);
      } else if (beat) {
        channel.outlet.heartbeat();
      }
    }
  }

  /** The bridge's "rec" envelope, encoded once and shared by every socket. */
  private static Encoded frame(String address, JsonObject body) {
    return Encoded.of(new JsonObject().put("type", "rec").put("address", address).put("body", body));
  }

  // ---- sockets ---------------------------------------------------------------------------

  /** Takes a new socket in, or refuses it (told why) over a connection cap; null when refused. */
  SocketChannel admit(Object socket, Outlet outlet, String client) {
    BridgeGroup.Admission admission = group.admit(client, settings);
    if (admission != BridgeGroup.Admission.ADMITTED) {
      metrics.refused();
      String message;
      String code;
      if (admission == BridgeGroup.Admission.FULL) {
        code = "max_connections_reached";
        message = "this server accepts " + settings.getMaxConnections() + " live connections; try again later";
        LOG.warn("Refused a bridge connection: {} connections is the cap (bridge.maxConnections)", settings.getMaxConnections());
      } else {
        code = "max_connections_per_client_reached";
        message = "one client may hold " + settings.getMaxConnectionsPerClient() + " live connections; close another tab";
        LOG.warn("Refused a bridge connection: {} connections per client is the cap (bridge.maxConnectionsPerClient)",
            settings.getMaxConnectionsPerClient());
      }
      outlet.close(4003, code, error(code, message));
      return null;
    }
    SocketChannel channel = new SocketChannel(vertx, outlet, client, settings, metrics, batch,
        () -> closeSlowConsumer(socket));
    channels.put(socket, channel);
    return channel;
  }

  /** The socket closed (either side): its slot is free again. */
  void closed(Object socket) {
    SocketChannel channel = channels.remove(socket);
    if (channel != null) {
      channel.close();
      group.release(channel.client);
    }
  }

  private void close(SocketChannel channel, int code, String reason, Encoded why) {
    channel.close();
    channel.outlet.close(code, reason, why);
  }

  private void closeSlowConsumer(Object socket) {
    LOG.warn("Closing a bridge socket that does not keep up ({} messages waiting)", settings.getMaxPendingPerSocket());
    // Out of the fan-out at once; the slot is freed when the close completes.
    SocketChannel channel = channels.get(socket);
    if (channel != null) {
      close(channel, 4009, "slow_consumer", error("slow_consumer", "this connection does not keep up with the updates"));
    }
  }

  /**
   * A frame of the bridge protocol from a WebSocket client: ping, register, unregister, send to the
   * snapshot address (with its reply), and nothing else.
   */
  void onFrame(SocketChannel channel, JsonObject frame) {
    if (channel.closed || !countInbound(channel)) {
      return;
    }
    String type = frame.getValue("type") instanceof String t ? t : "";
    String address = frame.getValue("address") instanceof String a ? a : null;
    switch (type) {
      case "ping" -> channel.lastPing = System.currentTimeMillis();
      case "register", "unregister" -> {
        boolean register = type.equals("register");
        if (address == null || !settings.outbound().contains(address)) {
          refuse(channel, "access_denied");
        } else if (!channel.subscribe(address, register)) {
          refuse(channel, "max_handlers_reached");
        } else if (register) {
          snapshotOnRegister(channel, address);
        }
      }
      case "send" -> {
        if (!settings.getSnapshotAddress().equals(address)) {
          refuse(channel, "access_denied");
          return;
        }
        Object body = frame.getValue("body");
        if (body instanceof JsonObject b && b.getBoolean("reconnect", false)) {
          // Clients ask for the snapshot on every connect and say when it is a reconnect.
          metrics.reconnected();
        }
        String replyAddress = frame.getValue("replyAddress") instanceof String r ? r : null;
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS);
        if (replyAddress == null) {
          vertx.eventBus().send(address, body, options);
          return;
        }
        vertx.eventBus().request(address, body, options).onComplete(ar -> {
          JsonObject answer = new JsonObject().put("address", replyAddress);
          if (ar.succeeded()) {
            answer.put("type", "rec").put("body", ar.result().body());
          } else {
            ReplyException failure = ar.cause() instanceof ReplyException r ? r : null;
            answer.put("type", "err").put("failureCode", failure == null ? -1 : failure.failureCode())
                .put("failureType", failure == null ? "RECIPIENT_FAILURE" : failure.failureType().name())
                .put("message", "the snapshot is not available now");
          }
          reply(channel, Encoded.of(answer));
        });
      }
      default -> refuse(channel, "access_denied");
    }
  }

  private void refuse(SocketChannel channel, String code) {
    metrics.refused();
    channel.writeNow(Encoded.of(new JsonObject().put("type", "err").put("body", code)));
  }

  /** Replies count against the same per-second cap as published messages. */
  private void reply(SocketChannel channel, Encoded answer) {
    if (channel.closed) {
      return;
    }
    if (channel.tryAcquireForReply()) {
      channel.writeNow(answer);
    } else {
      vertx.setTimer(Math.max(1, channel.nextFreeAt() - System.currentTimeMillis()), id -> reply(channel, answer));
    }
  }

  /**
   * No blank screen: the current state goes out at once, not at the next change. It comes from the
   * owner of the latest state (whoever answers the snapshot address), asked once for every socket
   * that registered meanwhile; clients order what they get by seq.
   */
  private void snapshotOnRegister(SocketChannel channel, String address) {
    awaitingSnapshot.merge(channel, address.equals(settings.getProgressAddress()), Boolean::logicalOr);
    requestSnapshot();
  }

  private void requestSnapshot() {
    if (snapshotInFlight || awaitingSnapshot.isEmpty()) {
      return;
    }
    snapshotInFlight = true;
    Map<SocketChannel, Boolean> waiting = new java.util.LinkedHashMap<>(awaitingSnapshot);
    awaitingSnapshot.clear();
    vertx.eventBus().<JsonObject>request(settings.getSnapshotAddress(), new JsonObject(),
        new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS)).onComplete(ar -> {
          snapshotInFlight = false;
          if (ar.succeeded() && ar.result().body() != null) {
            deliverSnapshot(waiting, ar.result().body());
          } else {
            LOG.debug("No snapshot for new registrations: {}", ar.cause() == null ? "empty" : ar.cause().getMessage());
          }
          requestSnapshot();
        });
  }

  /** The snapshot's messages, encoded once; keyed apart from live ones so they never displace newer state. */
  private void deliverSnapshot(Map<SocketChannel, Boolean> waiting, JsonObject snapshot) {
    JsonObject queue = snapshot.getJsonObject("queue");
    JsonArray progress = snapshot.getJsonArray("progress", new JsonArray());
    int n = progress.size() + 1;
    String[] keys = new String[n];
    Encoded[] frames = new Encoded[n];
    for (int i = 0; i < progress.size(); i++) {
      JsonObject p = progress.getJsonObject(i);
      keys[i] = "s:" + progressKey(Messages.taskId(p), p);
      frames[i] = frame(settings.getProgressAddress(), p);
    }
    Encoded queueFrame = queue == null ? null : frame(settings.getQueueAddress(), queue);
    String[] someKeys = new String[n];
    Encoded[] someFrames = new Encoded[n];
    for (Map.Entry<SocketChannel, Boolean> entry : waiting.entrySet()) {
      SocketChannel channel = entry.getKey();
      if (channel.closed) {
        continue;
      }
      int m = 0;
      if (queueFrame != null && channel.subscribed(settings.getQueueAddress())) {
        someKeys[m] = "s:q";
        someFrames[m++] = queueFrame;
      }
      if (entry.getValue() && channel.subscribed(settings.getProgressAddress())) {
        for (int i = 0; i < progress.size(); i++) {
          someKeys[m] = keys[i];
          someFrames[m++] = frames[i];
        }
      }
      channel.offer(someKeys, someFrames, m);
    }
  }

  /** Applies the inbound cap; false (and refused, or closed when flooding) when over it. */
  private boolean countInbound(SocketChannel channel) {
    SocketChannel.InboundVerdict verdict = channel.inbound();
    if (verdict == SocketChannel.InboundVerdict.ACCEPT) {
      return true;
    }
    metrics.refused();
    if (verdict == SocketChannel.InboundVerdict.CLOSE) {
      LOG.warn("Closing a bridge socket that floods (over {} frames a second)", settings.getMaxInboundPerSecond());
      close(channel, 4008, "flooding", error("flooding", "too many frames; the limit is "
          + settings.getMaxInboundPerSecond() + " a second"));
    }
    return false;
  }

  // ---- the fallback transports, through vertx-web's SockJS bridge -------------------------

  @Override
  public void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        String client = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
        event.complete(admit(socket, new Outlet.Session(socket), client) != null);
      }
      case SOCKET_CLOSED -> {
        closed(socket);
        event.complete(true);
      }
      case REGISTER, UNREGISTER -> subscription(event, type == BridgeEventType.REGISTER);
      case SEND, PUBLISH -> inbound(event, type == BridgeEventType.SEND);
      case SOCKET_PING -> {
        SocketChannel channel = channels.get(socket);
        event.complete(channel == null || countInbound(channel) || !channel.closed);
      }
      case RECEIVE -> receive(event);
      default -> event.complete(true);
    }
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
    if (!countInbound(channel)) {
      event.complete(false);
      return;
    }
    raw.put("address", inert(address));
    channel.subscribe(address, register);
    event.complete(true);
    if (register) {
      snapshotOnRegister(channel, address);
    }
  }

  private void inbound(BridgeEvent event, boolean send) {
    SocketChannel channel = channels.get(event.socket());
    JsonObject raw = event.getRawMessage();
    if (channel == null || !countInbound(channel)) {
      event.complete(false);
      return;
    }
    boolean snapshot = send && raw != null && settings.getSnapshotAddress().equals(raw.getString("address"));
    if (!snapshot) {
      metrics.refused();
    } else if (raw.getValue("body") instanceof JsonObject body && body.getBoolean("reconnect", false)) {
      metrics.reconnected();
    }
    event.complete(snapshot);
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

  private static Encoded error(String code, String message) {
    return Encoded.of(new JsonObject().put("type", "err").put("body", code).put("message", message));
  }

  static String inert(String address) {
    return INERT_PREFIX + address;
  }
}
