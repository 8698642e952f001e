package dev.translive.queue;

import java.util.List;
import java.util.PriorityQueue;

/**
 * Queue waits: each translator slot frees up when its running task's ETA runs out; each queued task
 * then takes the earliest free slot for its estimated duration (characters times the pace, see QueueMachine),
 * in the order the queue will really take them.
 */
final class WaitEstimator {
  private WaitEstimator() {}

  /**
   * @param runningEtas remaining seconds of each running task
   * @param queuedDurations estimated seconds of each queued task, in queue order
   * @return the wait of each queued task, in the same order
   */
  static double[] waits(int concurrency, List<Double> runningEtas, List<Double> queuedDurations) {
    PriorityQueue<Double> slots = new PriorityQueue<>();
    for (Double eta : runningEtas) {
      slots.add(eta == null ? 0.0 : Math.max(0, eta));
    }
    while (slots.size() < Math.max(1, concurrency)) {
      slots.add(0.0);
    }
    double[] waits = new double[queuedDurations.size()];
    for (int i = 0; i < waits.length; i++) {
      double freeAt = slots.poll();
      waits[i] = freeAt;
      slots.add(freeAt + queuedDurations.get(i));
    }
    return waits;
  }
}
