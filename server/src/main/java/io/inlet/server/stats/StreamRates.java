package io.inlet.server.stats;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A small in-process time series per stream: the stream's counters ({@link StreamSeries}) sampled
 * every second, kept at 1 s resolution for {@value #FINE_SECONDS} s and at 10 s resolution for
 * {@value #COARSE_SECONDS} s: about 17 KiB per stream, and a stream's series goes when the stream
 * goes. Rates over an interval come from the finest ring that covers it. Thread-safe.
 */
final class StreamRates {
  static final int FINE_SECONDS = 60;
  static final int COARSE_SECONDS = 3600;
  static final long MAX_INTERVAL_MS = TimeUnit.SECONDS.toMillis(COARSE_SECONDS);
  private static final long COARSE_STEP_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long FINE_SPAN_NANOS = TimeUnit.SECONDS.toNanos(FINE_SECONDS);
  private static final int COUNTERS = StreamSeries.values().length;

  private final Map<String, Series> streams = new HashMap<>();

  private static final class Series {
    final RateRing fine = new RateRing(FINE_SECONDS + 1, COUNTERS);
    final RateRing coarse = new RateRing(COARSE_SECONDS / 10 + 1, COUNTERS);
  }

  /**
   * Records one sample of every stream's counters (indexed by {@link StreamSeries#ordinal()}); a
   * stream seen for the first time starts from zeros one {@code stepNanos} earlier, so what it
   * counted before its first sample is not lost; a stream missing from {@code counters} is dropped.
   */
  synchronized void sample(long nowNanos, long stepNanos, Map<String, long[]> counters) {
    streams.keySet().retainAll(counters.keySet());
    for (Map.Entry<String, long[]> entry : counters.entrySet()) {
      Series series = streams.get(entry.getKey());
      if (series == null) {
        series = new Series();
        long[] zeros = new long[COUNTERS];
        series.fine.add(nowNanos - stepNanos, zeros);
        series.coarse.add(nowNanos - stepNanos, zeros);
        streams.put(entry.getKey(), series);
      }
      series.fine.add(nowNanos, entry.getValue());
      if (nowNanos - series.coarse.newestTime() >= COARSE_STEP_NANOS) {
        series.coarse.add(nowNanos, entry.getValue());
      }
    }
  }

  /**
   * The stream's per-second rates of {@code series} over each interval, or empty for a stream not
   * sampled (unknown, or too new).
   *
   * @param intervalsMs each in 1..{@link #MAX_INTERVAL_MS}, checked by the caller
   */
  synchronized Optional<double[]> rates(String stream, StreamSeries series, long[] intervalsMs) {
    Series s = streams.get(stream);
    return s == null ? Optional.empty() : Optional.of(rates(s, series, intervalsMs));
  }

  /** {@link #rates} of every sampled stream, by name. */
  synchronized Map<String, double[]> allRates(StreamSeries series, long[] intervalsMs) {
    Map<String, double[]> out = new TreeMap<>();
    streams.forEach((name, s) -> out.put(name, rates(s, series, intervalsMs)));
    return out;
  }

  synchronized Set<String> streams() {
    return Set.copyOf(streams.keySet());
  }

  private static double[] rates(Series s, StreamSeries series, long[] intervalsMs) {
    double[] out = new double[intervalsMs.length];
    for (int i = 0; i < intervalsMs.length; i++) {
      long nanos = TimeUnit.MILLISECONDS.toNanos(intervalsMs[i]);
      RateRing ring = nanos <= FINE_SPAN_NANOS ? s.fine : s.coarse;
      out[i] = ring.rate(series.ordinal(), nanos);
    }
    return out;
  }
}
