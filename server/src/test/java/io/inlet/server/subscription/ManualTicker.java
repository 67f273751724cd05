package io.inlet.server.subscription;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when a test says so. */
final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(System.nanoTime());

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
