package dev.translive.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets: files submitted, or bytes uploaded. The map of clients is bounded
 * (least recently seen dropped), so a flood of addresses cannot grow it without limit.
 */
public final class ClientRateLimiter {
  private static final int MAX_CLIENTS = 10_000;
  private final double perMillisecond;
  private final double burst;
  private final LongSupplier clock;
  private final Map<String, double[]> buckets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  /** One per process, shared by every HTTP verticle instance: a client's connections land on any of them. */
  public ClientRateLimiter(double perMinute, double burst, LongSupplier clock) {
    this.perMillisecond = perMinute / 60_000.0;
    this.burst = Math.max(1, burst);
    this.clock = clock;
  }

  /** 0 when {@code cost} is allowed now (and taken), else the seconds to wait until it would be. */
  synchronized long tryAcquire(String client, double cost) {
    long now = clock.getAsLong();
    double[] bucket = buckets.computeIfAbsent(client, c -> new double[] {burst, now});
    bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) * perMillisecond);
    bucket[1] = now;
    if (bucket[0] >= cost) {
      bucket[0] -= cost;
      return 0;
    }
    if (cost > burst) {
      // Never allowed whatever the wait; callers check this with largestCost() first.
      return Long.MAX_VALUE;
    }
    return Math.max(1, (long) Math.ceil((cost - bucket[0]) / perMillisecond / 1000.0));
  }

  /** Gives back what a refused request took, so it does not count against the client. */
  synchronized void refund(String client, double cost) {
    double[] bucket = buckets.get(client);
    if (bucket != null) {
      bucket[0] = Math.min(burst, bucket[0] + cost);
    }
  }

  /** The most one request can ever take. */
  double largestCost() {
    return burst;
  }
}
