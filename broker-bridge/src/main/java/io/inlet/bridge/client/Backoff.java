package io.inlet.bridge.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delays: min, 2 min, 4 min, ... up to max, each shortened by up to 20% at
 * random so that nodes restarted together do not reconnect in lockstep. {@link #reset()} after a
 * connection proved healthy. Thread-safe.
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private int failures;

  Backoff(Duration min, Duration max) {
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The delay before the next attempt; each call counts one more failure. */
  synchronized long nextDelayMillis() {
    long delay = minMillis;
    for (int i = 0; i < failures && delay < maxMillis; i++) {
      delay *= 2;
    }
    failures = Math.min(failures + 1, 62);
    delay = Math.min(delay, maxMillis);
    long jitter = (long) (delay * 0.2 * ThreadLocalRandom.current().nextDouble());
    return Math.max(1, delay - jitter);
  }

  synchronized void reset() {
    failures = 0;
  }
}
