package io.inlet.bench.sql;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One phase's figures.
 *
 * @param phase what ran
 * @param records records appended by the load (beside a warm-up batch)
 * @param appendSeconds how long the load took to append them (durably)
 * @param seconds from the load's first append until the last result was visible
 * @param latencyMillis end-to-end latencies in ms (what is measured depends on the phase)
 * @param latencyLabel what {@code latencyMillis} measures
 * @param note anything else the phase measured
 * @param serverCores CPU the node used on average during the phase
 * @param otherCores CPU used by other processes (and this benchmark) meanwhile
 * @param load the 1-minute load average at the end
 */
record PhaseFigures(
    String phase,
    long records,
    double appendSeconds,
    double seconds,
    Histogram latencyMillis,
    String latencyLabel,
    String note,
    double serverCores,
    double otherCores,
    double load) {
  double recordsPerSecond() {
    return records / seconds;
  }

  static Histogram histogram() {
    return new ConcurrentHistogram(3_600_000L, 3);
  }
}
