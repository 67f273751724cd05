package io.inlet.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, polling (no sleep as synchronisation); fails the test with
 * a message when late. {@link #holds} checks that nothing happens for a while.
 */
public final class Await {
  /** The deadline when none is given. */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  /**
   * The first pause between polls; each later one doubles, up to {@link #MAX_POLL_MILLIS}, so a
   * quick condition is seen at once and a costly one (a gRPC read, an HTTP query) is not run
   * hundreds of times a second.
   */
  private static final long POLL_MILLIS = 5;

  private static final long MAX_POLL_MILLIS = 50;

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(() -> what, timeout, condition);
  }

  /** As {@link #until(String, Duration, BooleanSupplier)}, adding {@code state} to the failure. */
  public static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    until(() -> what + " " + state.get(), timeout, condition);
  }

  public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = POLL_MILLIS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      pause(what, pauseMillis);
      pauseMillis = Math.min(MAX_POLL_MILLIS, pauseMillis * 2);
    }
  }

  /** The argument order some callers use: deadline, condition, then what it waits for. */
  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    until(what, timeout, condition);
  }

  public static void until(BooleanSupplier condition, String what) {
    until(what, DEFAULT, condition);
  }

  /**
   * Checks that the condition stays true for the whole period (to observe that nothing happens).
   */
  public static void holds(String what, Duration period, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() - end < 0) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      pause(() -> what, POLL_MILLIS);
    }
  }

  private static void pause(Supplier<String> what, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what.get());
    }
  }
}
