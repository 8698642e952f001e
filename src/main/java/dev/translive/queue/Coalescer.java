package dev.translive.queue;

import io.vertx.core.Vertx;

/**
 * Runs an action no sooner than a minimum interval after its last run, once for all the requests
 * made meanwhile: a burst of submissions or a stream of progress shares one queue_update.
 */
final class Coalescer {
  private final Vertx vertx;
  private final Runnable action;
  private long lastRun;
  private long timer = -1;
  private long due;

  Coalescer(Vertx vertx, Runnable action) {
    this.vertx = vertx;
    this.action = action;
  }

  /** Runs the action now if it last ran {@code minIntervalMs} ago or more, else once when that interval is over. */
  void request(long minIntervalMs) {
    long now = System.currentTimeMillis();
    long at = Math.max(now, lastRun + minIntervalMs);
    if (timer >= 0) {
      if (due <= at) {
        return; // an earlier run carries this change
      }
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (at == now) {
      run();
      return;
    }
    due = at;
    timer = vertx.setTimer(at - now, id -> {
      timer = -1;
      run();
    });
  }

  private void run() {
    lastRun = System.currentTimeMillis();
    action.run();
  }
}
