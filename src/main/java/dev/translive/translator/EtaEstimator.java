package dev.translive.translator;

import java.util.function.LongSupplier;

/**
 * ETA of a running task. Starts from the prior pace (history, or the engine's nominal pace) so an
 * estimate exists from the first second, shifts to the task's own measured throughput as segments
 * complete, and is smoothed so it counts down steadily instead of jumping with each batch.
 */
final class EtaEstimator {
  /** Seconds of measured translating after which the task's own pace fully replaces the prior. */
  private static final double FULL_TRUST_SECONDS = 5.0;
  /** Weight of a fresh estimate against the countdown of the previous one. */
  private static final double SMOOTHING = 0.35;

  private final LongSupplier clockMillis;
  private final double priorSecondsPerSegment;
  private int toTranslate;
  private long translatingSince = -1;
  private int done;
  private Double shown;
  private long shownAt;

  EtaEstimator(LongSupplier clockMillis, double priorSecondsPerSegment, int toTranslate) {
    this.clockMillis = clockMillis;
    this.priorSecondsPerSegment = priorSecondsPerSegment;
    this.toTranslate = toTranslate;
  }

  /** Translation begins with {@code uniqueSegments} to send (fewer than the total after dedup). */
  void translatingStarted(int uniqueSegments) {
    toTranslate = uniqueSegments;
    translatingSince = clockMillis.getAsLong();
  }

  void completed(int segments) {
    done += segments;
  }

  /** Seconds until the task finishes, as shown to users. */
  double eta() {
    long now = clockMillis.getAsLong();
    int remaining = Math.max(0, toTranslate - done);
    double pace = priorSecondsPerSegment;
    if (translatingSince >= 0 && done > 0) {
      double elapsed = (now - translatingSince) / 1000.0;
      double measured = elapsed / done;
      double trust = Math.min(1.0, elapsed / FULL_TRUST_SECONDS);
      trust = Math.max(trust, Math.min(1.0, done / (double) Math.max(1, toTranslate) * 4));
      pace = trust * measured + (1 - trust) * priorSecondsPerSegment;
    }
    double fresh = remaining * pace;
    if (shown == null || remaining == 0) {
      shown = fresh;
    } else {
      double countdown = Math.max(0, shown - (now - shownAt) / 1000.0);
      shown = countdown + SMOOTHING * (fresh - countdown);
    }
    shownAt = now;
    return shown;
  }
}
