package io.inlet.server.subscription;

/**
 * The monotonic time subscriptions measure ack timeouts and read retries with, in nanoseconds
 * ({@link System#nanoTime()} in a server). Tests pass one they move by hand, so redelivery after an
 * ack timeout needs no real wait.
 */
@FunctionalInterface
public interface Ticker {
  /** The system's monotonic clock. */
  Ticker SYSTEM = System::nanoTime;

  /** Nanoseconds since some fixed but arbitrary origin; only differences mean anything. */
  long nanoTime();
}
