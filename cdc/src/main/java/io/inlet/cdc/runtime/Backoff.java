package io.inlet.cdc.runtime;

/**
 * Restart delays that double after each failure in a row, from {@code initial} up to {@code max}.
 */
final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private long nextMs;

  Backoff(long initialMs, long maxMs) {
    this.initialMs = initialMs;
    this.maxMs = Math.max(initialMs, maxMs);
    this.nextMs = initialMs;
  }

  /** The delay before the next restart; doubles the one after. */
  long next() {
    long delay = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return delay;
  }

  /** The connector ran: the next failure waits {@code initial} again. */
  void reset() {
    nextMs = initialMs;
  }
}
