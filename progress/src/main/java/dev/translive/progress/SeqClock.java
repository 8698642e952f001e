package dev.translive.progress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Issues the {@code seq} of published messages.
 *
 * <p>A seq is wall-clock microseconds, bumped by one when two messages fall in the same
 * microsecond. It therefore increases with every message, and it keeps increasing across a
 * restart, so a browser that held seq N before the restart does not drop everything afterwards.
 * The values stay below 2^53, so JavaScript reads them exactly.
 */
public final class SeqClock {
  private final AtomicLong last = new AtomicLong();
  private final LongSupplier micros;

  public SeqClock() {
    this(() -> System.currentTimeMillis() * 1000L);
  }

  public SeqClock(LongSupplier micros) {
    this.micros = micros;
  }

  public long next() {
    long now = micros.getAsLong();
    return last.updateAndGet(prev -> Math.max(prev + 1, now));
  }
}
