package io.inlet.bench.mqtt;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and the acknowledgement-latency histogram shared by all publisher connections.
 * Thread-safe: every event loop records into it; {@link #startInterval()} and {@link
 * #endInterval()} are called by the command's thread.
 */
final class LoadStats {

  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final Recorder latencyMicros = new Recorder(3);

  void sent() {
    sent.increment();
  }

  /** An acknowledgement (PUBACK, PUBCOMP) {@code nanos} after the publish was written. */
  void acked(long nanos) {
    acked.increment();
    latencyMicros.recordValue(Math.max(1, nanos / 1_000));
  }

  /** A QoS 0 publish counts as done once written. */
  void sentWithoutAck() {
    sent.increment();
    acked.increment();
  }

  /** An MQTT 5 acknowledgement carrying a failure reason code (0x80 and above). */
  void error() {
    errors.increment();
  }

  void disconnected() {
    disconnects.increment();
  }

  long disconnects() {
    return disconnects.sum();
  }

  void startInterval() {
    sent.reset();
    acked.reset();
    errors.reset();
    latencyMicros.getIntervalHistogram();
  }

  Interval endInterval() {
    return new Interval(
        sent.sum(), acked.sum(), errors.sum(), latencyMicros.getIntervalHistogram());
  }

  record Interval(long sent, long acked, long errors, Histogram latencyMicros) {}
}
