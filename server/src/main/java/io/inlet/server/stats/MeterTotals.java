package io.inlet.server.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.HashMap;
import java.util.Map;

/** Reads meters of the registry by name, per value of one tag (stream, subscription, connector). */
final class MeterTotals {
  private final MeterRegistry registry;

  MeterTotals(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The counters (and function counters) named {@code name}, summed over their other tags, per
   * value of {@code tag}.
   */
  Map<String, Long> byTag(String name, String tag) {
    Map<String, Long> totals = new HashMap<>();
    Search found = registry.find(name);
    for (Counter counter : found.counters()) {
      add(totals, counter, tag, counter.count());
    }
    for (FunctionCounter counter : found.functionCounters()) {
      add(totals, counter, tag, counter.count());
    }
    return totals;
  }

  /** The gauges named {@code name}, summed over their other tags, per value of {@code tag}. */
  Map<String, Long> gaugesByTag(String name, String tag) {
    Map<String, Long> totals = new HashMap<>();
    for (Gauge gauge : registry.find(name).gauges()) {
      add(totals, gauge, tag, gauge.value());
    }
    return totals;
  }

  private static void add(Map<String, Long> totals, Meter meter, String tag, double value) {
    String key = meter.getId().getTag(tag);
    if (key != null && !Double.isNaN(value)) {
      totals.merge(key, (long) value, Long::sum);
    }
  }
}
