package dev.translive.progress;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the bridges of every verticle instance in this process share: the connection counts the
 * caps apply to (per process and per client address), the metrics, and their backlog for /health.
 */
public final class BridgeGroup {
  private final BridgeMetrics metrics;
  private final List<BridgeHub> hubs = new CopyOnWriteArrayList<>();
  /** Open sockets per client address; an entry lives only while its client holds a socket. */
  private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

  public BridgeGroup(BridgeMetrics metrics) {
    this.metrics = metrics;
  }

  AtomicInteger connections() {
    return metrics.connections();
  }

  /** Takes a slot for {@code client} if both the process cap and the per-client cap have room. */
  Admission admit(String client, BridgeOptions limits) {
    if (connections().incrementAndGet() > limits.getMaxConnections()) {
      connections().decrementAndGet();
      return Admission.FULL;
    }
    boolean[] over = new boolean[1];
    perClient.compute(client, (k, n) -> {
      int next = n == null ? 1 : n + 1;
      over[0] = next > limits.getMaxConnectionsPerClient();
      return over[0] ? n : Integer.valueOf(next);
    });
    if (over[0]) {
      connections().decrementAndGet();
      return Admission.CLIENT_FULL;
    }
    return Admission.ADMITTED;
  }

  /** Gives back a slot taken by {@link #admit}. */
  void release(String client) {
    connections().decrementAndGet();
    perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }

  enum Admission { ADMITTED, FULL, CLIENT_FULL }

  BridgeMetrics metrics() {
    return metrics;
  }

  void add(BridgeHub hub) {
    hubs.add(hub);
  }

  void remove(BridgeHub hub) {
    hubs.remove(hub);
  }

  /** Sockets, messages waiting under the rate cap, and bytes written but not yet flushed, summed. */
  public JsonObject backlog() {
    long sockets = 0;
    long pending = 0;
    long unflushed = 0;
    for (BridgeHub hub : hubs) {
      JsonObject b = hub.backlog();
      sockets += b.getLong("sockets");
      pending += b.getLong("pending_messages");
      unflushed += b.getLong("unflushed_bytes");
    }
    return new JsonObject().put("connections", connections().get()).put("sockets", sockets)
        .put("pending_messages", pending).put("unflushed_bytes", unflushed);
  }
}
