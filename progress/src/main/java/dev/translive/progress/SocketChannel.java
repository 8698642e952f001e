package dev.translive.progress;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one browser socket receives: its subscriptions, the per-second cap, and the messages waiting
 * for the cap. Waiting progress of a task and the waiting queue state are conflated (the latest
 * replaces the older); lifecycle messages are never dropped. Everything due at once goes out as one
 * write. Used on the socket's event loop only; holds no timer and no map while the socket is idle.
 */
final class SocketChannel implements Handler<AsyncResult<Void>> {
  /** Scratch space for one write, shared by the channels of one hub (one event loop). */
  static final class Batch {
    Encoded[] items = new Encoded[16];

    Encoded[] room(int n) {
      if (items.length < n) {
        items = new Encoded[Math.max(n, items.length * 2)];
      }
      return items;
    }
  }

  private final Vertx vertx;
  final Outlet outlet;
  /** Whose connection this is (the per-client cap's key). */
  final String client;
  private final BridgeOptions limits;
  private final BridgeMetrics metrics;
  private final Batch batch;
  private final Runnable onOverflow;
  private final RateWindow outbound;
  /** Bytes handed to the socket whose write has not completed: the backlog writeQueueFull misses. */
  private long unflushedBytes;
  /** Sizes of the writes in flight, oldest first (writes complete in order). */
  private int[] inFlight;
  private int inFlightHead;
  private int inFlightCount;
  /** Messages held for the cap or the backlog; made when first needed. */
  private LinkedHashMap<String, Encoded> pending;
  private long flushTimer = -1;
  /** Closed by the server: nothing more is queued while the close completes. */
  boolean closed;
  private boolean progress;
  private boolean queue;
  private int registrations;
  private long inboundWindowStart;
  private int inboundInWindow;
  private int floodedWindows;
  /** When the client last pinged (or connected), for the ping timeout. */
  long lastPing;

  SocketChannel(Vertx vertx, Outlet outlet, String client, BridgeOptions limits, BridgeMetrics metrics, Batch batch,
      Runnable onOverflow) {
    this.vertx = vertx;
    this.outlet = outlet;
    this.client = client;
    this.limits = limits;
    this.metrics = metrics;
    this.batch = batch;
    this.onOverflow = onOverflow;
    this.outbound = new RateWindow(limits.getMaxMessagesPerSecond());
    this.lastPing = System.currentTimeMillis();
  }

  /** False when the socket already holds maxHandlersPerSocket registrations. */
  boolean subscribe(String address, boolean on) {
    boolean isProgress = address.equals(limits.getProgressAddress());
    boolean was = isProgress ? progress : queue;
    if (on && !was && registrations >= limits.getMaxHandlersPerSocket()) {
      return false;
    }
    if (on != was) {
      registrations += on ? 1 : -1;
    }
    if (isProgress) {
      progress = on;
    } else {
      queue = on;
    }
    return true;
  }

  boolean subscribed(String address) {
    return address.equals(limits.getProgressAddress()) ? progress : queue;
  }

  /**
   * Queues a frame. {@code key} names what it conflates with ("p:task:stage" for a task's progress,
   * "q" for the queue); lifecycle frames use a unique key.
   */
  void offer(String key, Encoded frame) {
    offer(new String[] {key}, new Encoded[] {frame}, 1);
  }

  /** Offers messages {@code [0, n)} at once: what may go now leaves in one write, the rest waits. */
  void offer(String[] keys, Encoded[] frames, int n) {
    if (closed) {
      return;
    }
    long now = System.currentTimeMillis();
    Encoded[] out = batch.room(n);
    int ready = 0;
    for (int i = 0; i < n; i++) {
      if (pending == null || pending.isEmpty()) {
        if (!backlogged() && outbound.tryAcquire(now)) {
          out[ready++] = frames[i];
          continue;
        }
      }
      if (!hold(keys[i], frames[i])) {
        return;
      }
    }
    write(out, ready);
    if (pending != null && !pending.isEmpty()) {
      scheduleFlush();
    }
  }

  /** False when holding one more message overflowed the socket (it is being closed). */
  private boolean hold(String key, Encoded frame) {
    if (pending == null) {
      pending = new LinkedHashMap<>();
    }
    if (pending.remove(key) != null) {
      metrics.conflated();
    }
    pending.put(key, frame);
    if (pending.size() > limits.getMaxPendingPerSocket()) {
      onOverflow.run();
      return false;
    }
    return true;
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
    if (closed || pending == null) {
      return;
    }
    long now = System.currentTimeMillis();
    Encoded[] out = batch.room(pending.size());
    int ready = 0;
    Iterator<Map.Entry<String, Encoded>> it = pending.entrySet().iterator();
    while (it.hasNext() && !backlogged() && outbound.tryAcquire(now)) {
      out[ready++] = it.next().getValue();
      it.remove();
    }
    write(out, ready);
    if (pending.isEmpty()) {
      pending = null;
    } else if (!backlogged()) {
      scheduleFlush();
    }
  }

  /** The client is not reading fast enough: keep (and conflate) messages here until writes complete. */
  private boolean backlogged() {
    return unflushedBytes > limits.getMaxUnflushedBytesPerSocket();
  }

  long unflushedBytes() {
    return unflushedBytes;
  }

  private void scheduleFlush() {
    if (flushTimer < 0 && !closed) {
      long delay = Math.max(1, outbound.nextFreeAt() - System.currentTimeMillis());
      flushTimer = vertx.setTimer(delay, id -> flush());
    }
  }

  /** Writes directly, bypassing the cap: replies and errors, which are already counted or must go. */
  void writeNow(Encoded message) {
    Encoded[] out = batch.room(1);
    out[0] = message;
    write(out, 1);
  }

  private void write(Encoded[] out, int n) {
    if (n == 0) {
      return;
    }
    metrics.sent(n);
    int size = outlet.write(out, n, this);
    java.util.Arrays.fill(out, 0, n, null);
    unflushedBytes += size;
    if (inFlight == null) {
      inFlight = new int[4];
    } else if (inFlightCount == inFlight.length) {
      int[] grown = new int[inFlight.length * 2];
      for (int i = 0; i < inFlightCount; i++) {
        grown[i] = inFlight[(inFlightHead + i) % inFlight.length];
      }
      inFlight = grown;
      inFlightHead = 0;
    }
    inFlight[(inFlightHead + inFlightCount) % inFlight.length] = size;
    inFlightCount++;
  }

  /** A write completed (or failed): its bytes are no longer held for this socket. */
  @Override
  public void handle(AsyncResult<Void> ignored) {
    if (inFlightCount == 0) {
      return;
    }
    unflushedBytes -= inFlight[inFlightHead];
    inFlightHead = (inFlightHead + 1) % inFlight.length;
    inFlightCount--;
    if (inFlightCount == 0 && inFlight.length > 4) {
      inFlight = null;
      inFlightHead = 0;
    }
    if (pending != null && !pending.isEmpty() && !backlogged()) {
      scheduleFlush();
    }
  }

  int pendingCount() {
    return pending == null ? 0 : pending.size();
  }

  /**
   * Counts one inbound frame (pings included); REFUSE when it is over the per-second limit, CLOSE
   * when the socket stays over the limit for several consecutive seconds or sends far past it.
   */
  InboundVerdict inbound() {
    int maxPerSecond = limits.getMaxInboundPerSecond();
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
    pending = null;
  }
}
