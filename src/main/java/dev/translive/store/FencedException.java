package dev.translive.store;

/**
 * A queue-owner write was refused because another owner claimed a newer epoch. The writer is no
 * longer the queue owner and must stop: nothing it tried to write was applied.
 */
public final class FencedException extends RuntimeException {
  private final long epoch;
  private final long currentEpoch;

  public FencedException(long epoch, long currentEpoch) {
    super("queue owner epoch " + epoch + " was superseded by " + currentEpoch);
    this.epoch = epoch;
    this.currentEpoch = currentEpoch;
  }

  /** The epoch the refused write was made under. */
  public long epoch() {
    return epoch;
  }

  /** The epoch in the store when the write was refused. */
  public long currentEpoch() {
    return currentEpoch;
  }
}
