package io.inlet.server.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/** Reads counters of the registry by name, summed per value of one tag (stream, subscription). */
final class MeterTotals {
  private final MeterRegistry registry;

  MeterTotals(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The counters named {@code name}, summed over their other tags, per value of {@code tag}. */
  Map<String, Long> byTag(String name, String tag) {
    Map<String, Long> totals = new HashMap<>();
    for (Counter counter : registry.find(name).counters()) {
      String value = counter.getId().getTag(tag);
      if (value != null) {
        totals.merge(value, (long) counter.count(), Long::sum);
      }
    }
    return totals;
  }
}
