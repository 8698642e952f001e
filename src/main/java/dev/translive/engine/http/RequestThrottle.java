package dev.translive.engine.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs asynchronous calls with at most {@code maxConcurrency} in flight and at most
 * {@code requestsPerSecond} started per second (a token bucket holding up to one second's worth),
 * queueing the rest without blocking. The queue is bounded; a call that does not fit fails at once.
 * Thread-safe: engines may be called from several event loops.
 */
public final class RequestThrottle {
  private final Vertx vertx;
  private final String name;
  private final int maxConcurrency;
  private final double requestsPerSecond;
  private final double bucketSize;
  private final int maxQueued;

  private final Deque<Pending<?>> queue = new ArrayDeque<>();
  private int active;
  private double tokens;
  private long lastRefillNanos;
  private boolean refillTimerArmed;
  private boolean closed;

  public RequestThrottle(Vertx vertx, String name, int maxConcurrency, double requestsPerSecond, int maxQueued) {
    this.vertx = vertx;
    this.name = name;
    this.maxConcurrency = maxConcurrency;
    this.requestsPerSecond = requestsPerSecond;
    this.bucketSize = Math.max(1, requestsPerSecond);
    this.maxQueued = maxQueued;
    this.tokens = bucketSize;
    this.lastRefillNanos = System.nanoTime();
  }

  /** Starts {@code call} once a slot and a rate token are free; the result is the call's. */
  public <T> Future<T> submit(Supplier<Future<T>> call) {
    Pending<T> pending = new Pending<>(call, Promise.promise());
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new EngineHttpException(name + ": engine is closed", false));
      }
      if (queue.size() >= maxQueued) {
        return Future.failedFuture(new EngineHttpException(
            name + ": too many requests waiting (" + maxQueued + " queued); raise maxQueued or send less at once", false));
      }
      queue.add(pending);
    }
    drain();
    return pending.promise.future();
  }

  public synchronized int active() {
    return active;
  }

  public synchronized int queued() {
    return queue.size();
  }

  /** Fails everything still waiting; calls already running finish on their own. */
  public void close() {
    List<Pending<?>> dropped;
    synchronized (this) {
      closed = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
    }
    dropped.forEach(p -> p.promise.tryFail(new EngineHttpException(name + ": engine is closed", false)));
  }

  private void drain() {
    List<Pending<?>> ready = new ArrayList<>();
    long waitMs = -1;
    synchronized (this) {
      refill();
      while (!queue.isEmpty() && active < maxConcurrency && hasToken()) {
        if (requestsPerSecond > 0) {
          tokens -= 1;
        }
        active++;
        ready.add(queue.poll());
      }
      if (!queue.isEmpty() && active < maxConcurrency && !refillTimerArmed) {
        // Blocked only by the rate limit: come back when the next token is due.
        refillTimerArmed = true;
        waitMs = Math.max(1, (long) Math.ceil((1 - tokens) * 1000 / requestsPerSecond));
      }
    }
    if (waitMs > 0) {
      vertx.timer(waitMs).onComplete(done -> {
        synchronized (this) {
          refillTimerArmed = false;
        }
        drain();
      });
    }
    ready.forEach(this::start);
  }

  private <T> void start(Pending<T> pending) {
    Future<T> result;
    try {
      result = pending.call.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(outcome -> {
      synchronized (this) {
        active--;
      }
      drain();
      pending.promise.handle(outcome);
    });
  }

  private boolean hasToken() {
    return requestsPerSecond <= 0 || tokens >= 1;
  }

  private void refill() {
    if (requestsPerSecond <= 0) {
      return;
    }
    long now = System.nanoTime();
    tokens = Math.min(bucketSize, tokens + (now - lastRefillNanos) / 1e9 * requestsPerSecond);
    lastRefillNanos = now;
  }

  private record Pending<T>(Supplier<Future<T>> call, Promise<T> promise) {}
}
