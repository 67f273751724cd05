package io.inlet.bridge.listener;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (no sleeps as synchronisation). */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }

  public static void until(BooleanSupplier condition, String what) {
    until(Duration.ofSeconds(10), condition, what);
  }
}
