package dev.translive.progress;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the bridges of every verticle instance in this process share: the connection count the
 * cap applies to, the metrics, and their backlog for /health.
 */
public final class BridgeGroup {
  private final BridgeMetrics metrics;
  private final List<BridgeHub> hubs = new CopyOnWriteArrayList<>();

  public BridgeGroup(BridgeMetrics metrics) {
    this.metrics = metrics;
  }

  AtomicInteger connections() {
    return metrics.connections();
  }

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
