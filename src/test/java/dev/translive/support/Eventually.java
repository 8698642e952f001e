package dev.translive.support;

import java.util.function.BooleanSupplier;

/** Waits for a condition that no event announces (a socket's close seen from outside, a counter). */
public final class Eventually {
  private Eventually() {}

  public static void holds(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
