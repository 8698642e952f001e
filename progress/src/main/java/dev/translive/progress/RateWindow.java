package dev.translive.progress;

/**
 * A sliding one-second window: at most {@code limit} events in any window of {@code windowMs}.
 * The window is a little over a second so network jitter cannot bunch two windows' worth of
 * messages into one second at the receiver.
 */
final class RateWindow {
  static final long WINDOW_MS = 1100;
  private final long[] stamps;
  private int oldest;

  RateWindow(int limit) {
    this.stamps = new long[Math.max(1, limit)];
    java.util.Arrays.fill(stamps, Long.MIN_VALUE / 2);
  }

  /** Records an event at {@code now} if the window has room. */
  boolean tryAcquire(long now) {
    if (stamps[oldest] > now - WINDOW_MS) {
      return false;
    }
    stamps[oldest] = now;
    oldest = (oldest + 1) % stamps.length;
    return true;
  }

  /** When the next event will fit. */
  long nextFreeAt() {
    return stamps[oldest] + WINDOW_MS;
  }
}
