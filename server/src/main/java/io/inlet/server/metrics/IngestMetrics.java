package io.inlet.server.metrics;

import io.inlet.bridge.rules.IngestCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What the mapping rules made of every MQTT message, whichever way it came (listener, bridges,
 * ExHook): {@code inlet_ingest_messages_total{outcome=...}} with {@code stored}, {@code
 * no_matching_rule}, {@code rejected} (by its rule) and {@code failed} (the append failed). Rule
 * matches are everything but {@code no_matching_rule}; counts are not split by rule.
 */
public final class IngestMetrics {
  public static final String MESSAGES = "inlet.ingest.messages";

  private static final Map<String, ToDoubleFunction<IngestCounters>> OUTCOMES =
      Map.of(
          "stored", IngestCounters::storedCount,
          "no_matching_rule", IngestCounters::noMatchingRuleCount,
          "rejected", IngestCounters::rejectedCount,
          "failed", IngestCounters::failedCount);

  private IngestMetrics() {}

  public static void bind(MeterRegistry registry, IngestCounters counters) {
    OUTCOMES.forEach(
        (outcome, count) ->
            FunctionCounter.builder(MESSAGES, counters, count)
                .tag("outcome", outcome)
                .description(
                    "MQTT messages (listener, bridges, ExHook) by what the mapping rules made of"
                        + " them")
                .register(registry));
  }
}
