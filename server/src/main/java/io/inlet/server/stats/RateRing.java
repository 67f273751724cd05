package io.inlet.server.stats;

/**
 * The last {@code capacity} samples of a few monotonic counters, for rates over recent intervals.
 * Fixed size: adding beyond capacity overwrites the oldest sample. Not thread-safe; {@link
 * StreamRates} guards it.
 */
final class RateRing {
  private static final double NANOS_PER_SECOND = 1e9;

  private final long[] times;
  private final long[][] values;
  private int newest = -1;
  private int size;

  RateRing(int capacity, int counters) {
    times = new long[capacity];
    values = new long[capacity][counters];
  }

  void add(long nanos, long[] sample) {
    newest = (newest + 1) % times.length;
    times[newest] = nanos;
    System.arraycopy(sample, 0, values[newest], 0, sample.length);
    size = Math.min(size + 1, times.length);
  }

  boolean isEmpty() {
    return size == 0;
  }

  long newestTime() {
    return times[newest];
  }

  /**
   * Per-second rate of counter {@code index} over the {@code intervalNanos} ending at the newest
   * sample: its growth since the newest sample at least that old, divided by the time between the
   * two. With less history than the interval, the oldest sample is the baseline. A counter that
   * went backwards (reset) counts from 0. 0 with fewer than two samples.
   */
  double rate(int index, long intervalNanos) {
    if (size < 2) {
      return 0;
    }
    long end = times[newest];
    int baseline = newest;
    for (int k = 1; k < size; k++) {
      int i = Math.floorMod(newest - k, times.length);
      baseline = i;
      if (end - times[i] >= intervalNanos) {
        break;
      }
    }
    long elapsed = end - times[baseline];
    if (elapsed <= 0) {
      return 0;
    }
    long now = values[newest][index];
    long then = values[baseline][index];
    long growth = now >= then ? now - then : now;
    return growth * NANOS_PER_SECOND / elapsed;
  }
}
