package io.inlet.server.stats;

import io.inlet.server.metrics.AppendMetrics;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import io.inlet.store.metrics.StoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, samples every stream's counters into {@link StreamRates}; every 10 s, drops the
 * server's per-stream meters of deleted streams (the store drops its own). Runs on the {@code
 * inlet-stats-sampler} thread.
 */
public final class StatsSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);
  static final long STEP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int SWEEP_EVERY = 10;

  private final MeterTotals totals;
  private final StreamStore store;
  private final AppendMetrics appendMetrics;
  private final StreamRates rates = new StreamRates();
  private final ScheduledExecutorService timer;
  private int ticks;

  public StatsSampler(MeterRegistry registry, StreamStore store, AppendMetrics appendMetrics) {
    this.totals = new MeterTotals(registry);
    this.store = store;
    this.appendMetrics = appendMetrics;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-stats-sampler");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts sampling; the first sample is taken at once. */
  public StatsSampler start() {
    timer.scheduleAtFixedRate(this::tick, 0, STEP_NANOS, TimeUnit.NANOSECONDS);
    return this;
  }

  StreamRates rates() {
    return rates;
  }

  MeterTotals totals() {
    return totals;
  }

  private void tick() {
    try {
      if (ticks++ % SWEEP_EVERY == 0) {
        Set<String> live =
            store.streams().list("").stream().map(StreamInfo::name).collect(Collectors.toSet());
        appendMetrics.retainStreams(live);
      }
      sample(System.nanoTime());
    } catch (RuntimeException e) {
      // The store is closing or failed a read; the next tick tries again.
      log.debug("stats sample skipped: {}", e.toString());
    }
  }

  /** Takes one sample of every stream's counters. */
  void sample(long nowNanos) {
    Map<String, long[]> samples = new HashMap<>();
    add(samples, StreamSeries.APPEND_BYTES, totals.byTag(StoreMetrics.APPEND_BYTES, "stream"));
    add(samples, StreamSeries.APPEND_RECORDS, totals.byTag(StoreMetrics.APPEND_RECORDS, "stream"));
    add(samples, StreamSeries.APPEND_REQUESTS, totals.byTag(AppendMetrics.REQUESTS, "stream"));
    add(
        samples,
        StreamSeries.APPEND_FAILED_REQUESTS,
        totals.byTag(AppendMetrics.FAILURES, "stream"));
    add(samples, StreamSeries.READ_BYTES, totals.byTag(StoreMetrics.READ_BYTES, "stream"));
    rates.sample(nowNanos, STEP_NANOS, samples);
  }

  private static void add(
      Map<String, long[]> samples, StreamSeries series, Map<String, Long> byStream) {
    byStream.forEach(
        (stream, value) ->
            samples
                    .computeIfAbsent(stream, s -> new long[StreamSeries.values().length])[
                    series.ordinal()] =
                value);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
