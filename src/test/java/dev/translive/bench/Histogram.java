package dev.translive.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Millisecond buckets, safe to record from many event loops at once; percentiles without keeping
 * millions of samples.
 */
final class Histogram {
  private final AtomicLongArray buckets;
  private final LongAdder count = new LongAdder();
  private final LongAdder sum = new LongAdder();
  private final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);

  Histogram(int maxMillis) {
    buckets = new AtomicLongArray(maxMillis + 1);
  }

  void recordMillis(long ms) {
    long clamped = Math.max(0, Math.min(ms, buckets.length() - 1));
    buckets.incrementAndGet((int) clamped);
    count.increment();
    sum.add(ms);
    max.accumulate(ms);
  }

  /** Adds another histogram's samples (same bucket count) to this one. */
  void add(Histogram other) {
    for (int i = 0; i < buckets.length(); i++) {
      long n = other.buckets.get(i);
      if (n != 0) {
        buckets.addAndGet(i, n);
      }
    }
    count.add(other.count.sum());
    sum.add(other.sum.sum());
    if (other.count.sum() > 0) {
      max.accumulate(other.max.get());
    }
  }

  long count() {
    return count.sum();
  }

  double mean() {
    long n = count.sum();
    return n == 0 ? Double.NaN : sum.sum() / (double) n;
  }

  double max() {
    return count.sum() == 0 ? Double.NaN : max.get();
  }

  /** The smallest bucket at or below which {@code q} of the samples lie. */
  double percentile(double q) {
    long n = count.sum();
    if (n == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= rank) {
        return i;
      }
    }
    return buckets.length() - 1;
  }
}
