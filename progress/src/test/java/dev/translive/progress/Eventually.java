package dev.translive.progress;

import java.util.function.BooleanSupplier;

/** Waits for a condition no event announces; a guard against hanging, not a speed bound. */
final class Eventually {
  private Eventually() {}

  static void holds(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition did not hold within 30 s");
      }
      Thread.sleep(20);
    }
  }
}
