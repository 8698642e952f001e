package dev.translive.progress;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one browser socket receives: its subscriptions, the per-second cap, and the messages waiting
 * for the cap. Waiting progress of a task and the waiting queue state are conflated (the latest
 * replaces the older); lifecycle messages are never dropped. Used on the socket's event loop only.
 */
final class SocketChannel {
  private final Vertx vertx;
  final SockJSSocket socket;
  private final RateWindow outbound;
  private final int maxPending;
  private final long maxUnflushedBytes;
  private final Runnable onOverflow;
  private final BridgeMetrics metrics;
  /** Bytes handed to the socket whose write has not completed: the backlog writeQueueFull misses on WebSocket. */
  private long unflushedBytes;
  private final LinkedHashMap<String, Buffer> pending = new LinkedHashMap<>();
  private long flushTimer = -1;
  /** Closed by the server (slow consumer): nothing more is queued while the close completes. */
  private boolean closed;
  private final String progressAddress;
  private boolean progress;
  private boolean queue;
  private long inboundWindowStart;
  private int inboundInWindow;
  private int floodedWindows;

  SocketChannel(Vertx vertx, SockJSSocket socket, String progressAddress, int maxPerSecond, int maxPending,
      long maxUnflushedBytes, BridgeMetrics metrics, Runnable onOverflow) {
    this.progressAddress = progressAddress;
    this.metrics = metrics;
    this.vertx = vertx;
    this.socket = socket;
    this.outbound = new RateWindow(maxPerSecond);
    this.maxPending = maxPending;
    this.maxUnflushedBytes = maxUnflushedBytes;
    this.onOverflow = onOverflow;
  }

  void subscribe(String address, boolean on) {
    if (address.equals(progressAddress)) {
      progress = on;
    } else {
      queue = on;
    }
  }

  boolean subscribed(String address) {
    return address.equals(progressAddress) ? progress : queue;
  }

  /**
   * Queues a frame. {@code key} names what it conflates with ("p:task" for a task's progress, "q"
   * for the queue); lifecycle frames use a unique key.
   */
  void offer(String key, Buffer frame) {
    if (closed) {
      return;
    }
    if (pending.isEmpty() && !backlogged() && outbound.tryAcquire(System.currentTimeMillis())) {
      write(frame);
      return;
    }
    if (pending.remove(key) != null) {
      metrics.conflated();
    }
    pending.put(key, frame);
    if (pending.size() > maxPending) {
      onOverflow.run();
      return;
    }
    scheduleFlush();
  }

  /** Whether a message the bridge itself delivers (a reply) may go now; counts it if so. */
  boolean tryAcquireForReply() {
    return outbound.tryAcquire(System.currentTimeMillis());
  }

  long nextFreeAt() {
    return outbound.nextFreeAt();
  }

  private void flush() {
    flushTimer = -1;
    long now = System.currentTimeMillis();
    Iterator<Map.Entry<String, Buffer>> it = pending.entrySet().iterator();
    while (it.hasNext() && !backlogged() && outbound.tryAcquire(now)) {
      write(it.next().getValue());
      it.remove();
    }
    if (!pending.isEmpty() && !backlogged()) {
      scheduleFlush();
    }
  }

  /** The client is not reading fast enough: keep (and conflate) messages here until writes complete. */
  private boolean backlogged() {
    return unflushedBytes > maxUnflushedBytes;
  }

  long unflushedBytes() {
    return unflushedBytes;
  }

  private void scheduleFlush() {
    if (flushTimer < 0) {
      long delay = Math.max(1, outbound.nextFreeAt() - System.currentTimeMillis());
      flushTimer = vertx.setTimer(delay, id -> flush());
    }
  }

  private void write(Buffer frame) {
    metrics.sent(1);
    int size = frame.length();
    unflushedBytes += size;
    socket.write(frame).onComplete(ar -> {
      unflushedBytes -= size;
      if (!pending.isEmpty() && !backlogged()) {
        scheduleFlush();
      }
    });
  }

  int pendingCount() {
    return pending.size();
  }

  /**
   * Counts one inbound frame; false when it is over the per-second limit. A socket that stays over
   * the limit for several consecutive seconds, or sends far past it, is flooding.
   */
  InboundVerdict inbound(int maxPerSecond) {
    long now = System.currentTimeMillis();
    if (now - inboundWindowStart >= 1000) {
      floodedWindows = inboundInWindow > maxPerSecond ? floodedWindows + 1 : 0;
      inboundWindowStart = now;
      inboundInWindow = 0;
    }
    inboundInWindow++;
    if (inboundInWindow <= maxPerSecond) {
      return InboundVerdict.ACCEPT;
    }
    return inboundInWindow > maxPerSecond * 5 || floodedWindows >= 3 ? InboundVerdict.CLOSE : InboundVerdict.REFUSE;
  }

  enum InboundVerdict { ACCEPT, REFUSE, CLOSE }

  void close() {
    closed = true;
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    pending.clear();
  }
}
