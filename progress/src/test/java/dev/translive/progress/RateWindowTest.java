package dev.translive.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateWindowTest {

  @Test
  void neverMoreThanTheLimitInAnyWindow() {
    RateWindow window = new RateWindow(3);
    assertTrue(window.tryAcquire(0));
    assertTrue(window.tryAcquire(10));
    assertTrue(window.tryAcquire(20));
    assertFalse(window.tryAcquire(30), "a fourth inside the window");
    assertEquals(RateWindow.WINDOW_MS, window.nextFreeAt(), "frees when the first leaves the window");
    assertFalse(window.tryAcquire(RateWindow.WINDOW_MS - 1));
    assertTrue(window.tryAcquire(RateWindow.WINDOW_MS));
    assertFalse(window.tryAcquire(RateWindow.WINDOW_MS + 5), "the second is still inside");
    assertTrue(window.tryAcquire(RateWindow.WINDOW_MS + 10));
  }

  @Test
  void seqIncreasesEvenWhenTheClockStandsStillOrGoesBack() {
    long[] now = {5_000};
    SeqClock clock = new SeqClock(() -> now[0]);
    long a = clock.next();
    long b = clock.next();
    now[0] = 1_000;
    long c = clock.next();
    assertTrue(a < b && b < c);
    assertTrue(new SeqClock().next() < (1L << 53), "exact in JavaScript");
  }
}
