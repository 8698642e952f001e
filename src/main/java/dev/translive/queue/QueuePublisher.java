package dev.translive.queue;

import dev.translive.bus.Addresses;
import dev.translive.ops.ServiceMetrics;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Publishes {@code queue_update}, coalesced: no sooner than a minimum interval after the last one,
 * once for all the changes made meanwhile, so a burst of submissions or a stream of progress shares
 * one message. Keeps the latest for snapshots.
 */
final class QueuePublisher {
  /** What changed, and how soon after the last queue_update the next may follow for it. */
  enum Change {
    /** A task came, went, started or ended: closer together than this share one queue_update. */
    STRUCTURAL(100),
    /** A running task progressed: the view changes constantly; one update a second is enough for waits. */
    PROGRESS(1000);

    private final long minIntervalMs;

    Change(long minIntervalMs) {
      this.minIntervalMs = minIntervalMs;
    }
  }

  private final Vertx vertx;
  private final QueueViews views;
  private final SeqClock seq;
  private final ServiceMetrics metrics;
  private JsonObject latest;
  private long lastRun;
  private long timer = -1;
  private long due;

  QueuePublisher(Vertx vertx, QueueViews views, SeqClock seq, ServiceMetrics metrics) {
    this.vertx = vertx;
    this.views = views;
    this.seq = seq;
    this.metrics = metrics;
  }

  /** Published at once when the last update is old enough, else once when it is, for all changes meanwhile. */
  void changed(Change change) {
    long now = System.currentTimeMillis();
    long at = Math.max(now, lastRun + change.minIntervalMs);
    if (timer >= 0) {
      if (due <= at) {
        return; // an earlier publish carries this change
      }
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (at == now) {
      now();
      return;
    }
    due = at;
    timer = vertx.setTimer(at - now, id -> {
      timer = -1;
      now();
    });
  }

  /** The body of GET /api/queue and of the translive.snapshot reply. */
  JsonObject snapshot() {
    return Messages.snapshot(latest, views.latestProgress());
  }

  void now() {
    lastRun = System.currentTimeMillis();
    latest = views.queueUpdate(seq.next());
    metrics.queue(views.queuedCount(), views.runningCount());
    vertx.eventBus().publish(Addresses.QUEUE, latest);
  }
}
