package io.inlet.bench.cdc;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What a consumer of change records saw: how many arrived, when the last one did, and the
 * end-to-end lag of streamed rows (arrival minus the row's {@code at_ms}) once {@link #measureLag}
 * was called (snapshot rows are not lag).
 */
final class Arrivals {
  private final AtomicLong count = new AtomicLong();
  private final ConcurrentHistogram lagMs = new ConcurrentHistogram(3_600_000L, 3);
  private volatile boolean lag;
  private volatile long lastNanos;

  void measureLag() {
    lag = true;
  }

  /** One record arrived; {@code atMs} is its row's at_ms (or -1). */
  void arrived(long atMs) {
    count.incrementAndGet();
    lastNanos = System.nanoTime();
    if (lag && atMs > 0) {
      lagMs.recordValue(Math.max(0, System.currentTimeMillis() - atMs));
    }
  }

  long count() {
    return count.get();
  }

  long lastNanos() {
    return lastNanos;
  }

  long lagPercentile(double p) {
    return lagMs.getValueAtPercentile(p);
  }

  long lagMax() {
    return lagMs.getMaxValue();
  }

  /** Waits until {@code n} records arrived; false when none arrived for {@code stallMs}. */
  boolean await(long n, long stallMs) throws InterruptedException {
    long seen = -1;
    long since = System.nanoTime();
    while (count() < n) {
      long now = count();
      if (now != seen) {
        seen = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > stallMs * 1_000_000L) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
