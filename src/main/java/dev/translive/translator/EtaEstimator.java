package dev.translive.translator;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * ETA of a running task, in characters: remaining characters times the pace. The pace starts as
 * the prior (the live pace of a task of the same engine and language pair, history, or the engine's
 * nominal pace) and moves to the task's own throughput over its recent batches: each batch's call
 * time per character divided by the calls kept in flight together (Little's law), so parallel
 * batches do not read as slow and a document whose segments grow longer is paced by what it
 * translates now. The shown value counts down between batches, is smoothed, and rises at most
 * {@link #MAX_RISE_PER_SECOND} of itself per second; while few batches are measured it comes with
 * a range ({@link #low()}, {@link #high()}).
 */
final class EtaEstimator {
  /** Completed batches the measured pace looks back over. */
  private static final int WINDOW = 16;
  /** Batch completions after which the measured pace fully replaces a measured prior. */
  private static final int FULL_TRUST_COMPLETIONS = 3;
  /** Weight of a fresh estimate against the countdown of the previous one. */
  private static final double SMOOTHING = 0.5;
  /** Weight of a fresh estimate below the countdown: a prior that was too slow is dropped quickly. */
  private static final double DROP_WEIGHT = 0.8;
  /** A rising estimate moves at most this fraction of itself per second: rises are real but never jumps. */
  static final double MAX_RISE_PER_SECOND = 0.10;
  /** Below this relative uncertainty no range is shown. */
  private static final double SHOW_RANGE_ABOVE = 0.10;

  private final LongSupplier clockMillis;
  private double priorSecondsPerCharacter;
  /** Whether the prior was measured (live or history) rather than nominal or configured. */
  private boolean priorMeasured;
  private long lastCompletionAt = -1;
  private double windowSeconds;
  private long windowCharacters;
  /** (characters, seconds of throughput) of each batch in the window. */
  private final ArrayDeque<double[]> window = new ArrayDeque<>();
  private double throughputSeconds;
  private long toTranslate;
  private long translatingSince = -1;
  private long done;
  private int completionCount;
  private Double shown;
  private long shownAt;
  private double uncertainty = 0.5;

  /**
   * @param priorSecondsPerCharacter the pace assumed before any measurement
   * @param toTranslate characters to translate, as known before extraction
   */
  EtaEstimator(LongSupplier clockMillis, double priorSecondsPerCharacter, long toTranslate) {
    this.clockMillis = clockMillis;
    this.priorSecondsPerCharacter = priorSecondsPerCharacter;
    this.toTranslate = toTranslate;
  }

  /** Translation begins with {@code characters} to send (fewer than the document's after dedup and recall). */
  void translatingStarted(long characters) {
    toTranslate = characters;
    translatingSince = clockMillis.getAsLong();
  }

  /**
   * The prior pace; {@code measured}: it comes from measurements (a running task of the same
   * engine and pair, or history), so it is blended out gradually, not dropped at the first batch.
   */
  void prior(double secondsPerCharacter, boolean measured) {
    priorSecondsPerCharacter = secondsPerCharacter;
    priorMeasured = measured;
  }

  /** A batch done, measured by the time since the previous one (one call at a time). */
  void completed(long characters) {
    long now = clockMillis.getAsLong();
    long since = lastCompletionAt >= 0 ? lastCompletionAt : translatingSince >= 0 ? translatingSince : now;
    completed(characters, (now - since) / 1000.0, 1);
  }

  /**
   * A batch of {@code characters} done after a call of {@code callSeconds}, with up to
   * {@code inFlight} calls outstanding together: it cost {@code callSeconds / inFlight} of the
   * task's time.
   */
  void completed(long characters, double callSeconds, int inFlight) {
    done += characters;
    completionCount++;
    lastCompletionAt = clockMillis.getAsLong();
    if (characters <= 0) {
      return;
    }
    double[] batch = {characters, callSeconds / Math.max(1, inFlight)};
    throughputSeconds += batch[1];
    window.addLast(batch);
    windowCharacters += characters;
    windowSeconds += batch[1];
    if (window.size() > WINDOW) {
      double[] old = window.removeFirst();
      windowCharacters -= (long) old[0];
      windowSeconds -= old[1];
    }
  }

  /** The pace in seconds per character: measured once two batches are done, blended with the prior until trusted. */
  double pace() {
    Double measured = measuredPace();
    if (measured == null) {
      return priorSecondsPerCharacter;
    }
    double trust = priorMeasured ? Math.min(1.0, window.size() / (double) FULL_TRUST_COMPLETIONS) : 1.0;
    return trust * measured + (1 - trust) * priorSecondsPerCharacter;
  }

  /** The time every batch so far cost at the measured throughput (see {@link #completed(long, double, int)}). */
  double throughputSeconds() {
    return throughputSeconds;
  }

  /** The pace this task measures (seconds per character), null before a batch is done. */
  Double livePace() {
    return measuredPace() == null ? null : pace();
  }

  private Double measuredPace() {
    return window.isEmpty() || windowSeconds <= 0 ? null : windowSeconds / windowCharacters;
  }

  /** Seconds until the task finishes, as shown to users. */
  double eta() {
    long now = clockMillis.getAsLong();
    long remaining = Math.max(0, toTranslate - done);
    double pace = pace();
    // The estimate runs from the last completion: it counts down while a batch is in flight.
    double fresh = Math.max(0, remaining * pace - (lastCompletionAt < 0 ? 0 : (now - lastCompletionAt) / 1000.0));
    if (remaining == 0) {
      fresh = 0;
    }
    if (shown == null || remaining == 0) {
      shown = fresh;
    } else {
      double elapsed = (now - shownAt) / 1000.0;
      double countdown = Math.max(0, shown - elapsed);
      // Good news is taken at once (mostly); a rise is smoothed and bounded.
      double next = countdown + (fresh < countdown ? DROP_WEIGHT : SMOOTHING) * (fresh - countdown);
      double ceiling = shown * (1 + MAX_RISE_PER_SECOND * Math.min(1.0, elapsed));
      shown = Math.min(next, ceiling);
    }
    shownAt = now;
    double measuredShare = Math.min(1.0, completionCount / (double) FULL_TRUST_COMPLETIONS);
    double left = toTranslate <= 0 ? 0 : remaining / (double) toTranslate;
    uncertainty = (0.5 - 0.35 * measuredShare) * left + 0.02;
    return shown;
  }

  /** The lower end of the range while the estimate is uncertain, else null (valid after {@link #eta()}). */
  Double low() {
    return shown == null || uncertainty < SHOW_RANGE_ABOVE ? null : shown * (1 - uncertainty);
  }

  /** The upper end of the range while the estimate is uncertain, else null (valid after {@link #eta()}). */
  Double high() {
    return shown == null || uncertainty < SHOW_RANGE_ABOVE ? null : shown * (1 + uncertainty);
  }
}
