package io.inlet.bench.append;

import io.inlet.bench.report.ResourceWindow;
import org.HdrHistogram.Histogram;

/** What one append run measured over its measured interval (after warm-up). */
public record AppendOutcome(
    AppendSpec spec,
    long appends,
    long errors,
    String firstError,
    Histogram latency,
    ResourceWindow.Usage usage) {

  public double seconds() {
    return usage.seconds();
  }

  public double appendsPerSecond() {
    return appends / seconds();
  }

  public double recordsPerSecond() {
    return appendsPerSecond() * spec.batchSize();
  }

  /** Record payload bytes per second. */
  public double payloadBytesPerSecond() {
    return recordsPerSecond() * spec.recordBytes();
  }
}
