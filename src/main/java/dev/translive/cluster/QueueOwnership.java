package dev.translive.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes exactly one queue owner run in the cluster. Every node with the queue role waits for a
 * cluster-wide lock (Hazelcast releases it when the holder's node leaves the cluster); the holder
 * then takes a new fencing epoch in the store and deploys the QueueVerticle, whose writes carry the
 * epoch, so an old owner cut off by a partition cannot change anything. On one node the lock is
 * simply local and taken at once.
 */
public final class QueueOwnership {
  private static final Logger LOG = LoggerFactory.getLogger(QueueOwnership.class);
  static final String LOCK = "translive.queue.owner";
  /** How long one wait for the lock lasts before it is renewed; the wait itself is unbounded. */
  private static final long LOCK_WAIT_MS = 30_000;
  private static final long CAMPAIGN_AGAIN_MS = 10_000;
  /** Between a wait that timed out (or failed at once) and the next. */
  private static final long RETRY_PAUSE_MS = 100;

  private final Vertx vertx;
  private final Supplier<Future<String>> becomeOwner;
  private volatile boolean stopped;
  private Lock lock;

  /**
   * @param becomeOwner claims the next epoch and deploys the queue owner; its deployment id
   */
  public QueueOwnership(Vertx vertx, Supplier<Future<String>> becomeOwner) {
    this.vertx = vertx;
    this.becomeOwner = becomeOwner;
  }

  /** Completes once this node is the owner (single node) or is waiting its turn (cluster). */
  public Future<Void> start(boolean waitUntilOwner) {
    Future<Void> owner = campaign();
    return waitUntilOwner ? owner : Future.succeededFuture();
  }

  /** Completes once this node owns the queue (or ownership stopped); waits as long as it takes. */
  private Future<Void> campaign() {
    Promise<Void> owner = Promise.promise();
    attempt(owner);
    return owner.future();
  }

  /**
   * One wait for the lock. A wait that times out is simply tried again from a timer, so a node that
   * waits for hours holds one pending attempt, not a chain of futures that grows every 30 s.
   */
  private void attempt(Promise<Void> owner) {
    if (stopped) {
      owner.tryComplete();
      return;
    }
    vertx.sharedData().getLockWithTimeout(LOCK, LOCK_WAIT_MS)
        .onFailure(err -> vertx.setTimer(RETRY_PAUSE_MS, id -> attempt(owner)))
        .onSuccess(acquired -> {
          lock = acquired;
          LOG.info("This node is now the queue owner");
          becomeOwner.get()
              .onFailure(err -> {
                LOG.error("Could not start the queue owner: {}", err.getMessage());
                release();
              })
              .<Void>mapEmpty()
              .onComplete(owner);
        });
  }

  /**
   * The owner stepped down (a newer epoch fenced it): let another node take over. This node only
   * campaigns again after a pause, so two sides of a partition do not keep taking the queue back.
   */
  public void ownerStopped() {
    release();
    if (!stopped) {
      vertx.setTimer(CAMPAIGN_AGAIN_MS, id -> campaign());
    }
  }

  private void release() {
    if (lock != null) {
      lock.release();
      lock = null;
    }
  }

  public void stop() {
    stopped = true;
    release();
  }
}
