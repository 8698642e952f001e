package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The running ETA on a clock the test moves: Little's law, bounded rises, the range while uncertain. */
class EtaEstimatorTest {
  private final long[] now = {0};

  @Test
  void batchesInFlightTogetherDoNotReadAsSlow() {
    EtaEstimator eta = new EtaEstimator(() -> now[0], 0.01, 10_000);
    eta.prior(0.01, false);
    eta.translatingStarted(10_000);
    // Four calls of 1,000 characters in flight together, each 2 s: 0.5 ms a character.
    now[0] = 2000;
    for (int i = 0; i < 4; i++) {
      eta.completed(1000, 2.0, 4);
    }
    assertEquals(0.0005, eta.pace(), 1e-12);
    assertEquals(3.0, eta.eta(), 0.6, "6,000 characters left at 0.5 ms, taken at once from a prior 20 times too slow");
  }

  @Test
  void aRisingEstimateRisesAtMostTenPercentASecondAndARangeShowsWhileUncertain() {
    EtaEstimator eta = new EtaEstimator(() -> now[0], 0.001, 100_000);
    eta.prior(0.001, true);
    eta.translatingStarted(100_000);
    double first = eta.eta();
    assertEquals(100.0, first, 1e-9);
    assertNotNull(eta.low(), "a prior alone is uncertain");
    assertTrue(eta.low() < first && first < eta.high());
    double firstRange = (eta.high() - eta.low()) / first;
    // The engine turns out twice as slow as the prior.
    double previous = first;
    for (int i = 1; i <= 20; i++) {
      now[0] += 500;
      eta.completed(1000, 2.0, 1);
      double shown = eta.eta();
      assertTrue(shown <= previous * 1.05 + 1e-9, "rose from " + previous + " to " + shown + " in half a second");
      previous = shown;
    }
    assertTrue(previous > 100.0, "it does rise towards the truth: " + previous);
    assertTrue(eta.low() == null || (eta.high() - eta.low()) / previous < firstRange / 2,
        "measured over 20 batches, the range is at most half as wide");
  }
}
