package io.inlet.server.metrics;

import io.inlet.bridge.client.BridgeState;
import io.inlet.bridge.client.BridgeStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The bridges' status as meters, one series per configured bridge (label {@code upstream}, its
 * name): {@code inlet_bridge_connected} (1 while connected to the upstream broker), {@code
 * inlet_bridge_reconnects_total}, {@code inlet_bridge_messages_received_total} (redeliveries
 * included) and {@code inlet_bridge_messages_total{outcome=...}}: {@code stored}, {@code
 * unmatched}, {@code rejected}, {@code store_failed}. A bridge not running yet counts as
 * disconnected with zero counts.
 */
public final class BridgeMetrics {
  public static final String CONNECTED = "inlet.bridge.connected";
  public static final String RECONNECTS = "inlet.bridge.reconnects";
  public static final String RECEIVED = "inlet.bridge.messages.received";
  public static final String MESSAGES = "inlet.bridge.messages";

  private static final Map<String, ToLongFunction<BridgeStatus>> OUTCOMES =
      Map.of(
          "stored", BridgeStatus::messagesStored,
          "unmatched", BridgeStatus::messagesUnmatched,
          "rejected", BridgeStatus::messagesRejected,
          "store_failed", BridgeStatus::storeFailures);

  private BridgeMetrics() {}

  /**
   * @param names the configured bridges' names
   * @param statuses every running bridge's status, read at each scrape
   */
  public static void bind(
      MeterRegistry registry, List<String> names, Supplier<List<BridgeStatus>> statuses) {
    for (String name : names) {
      Gauge.builder(
              CONNECTED,
              () -> count(statuses, name, s -> s.state() == BridgeState.CONNECTED ? 1 : 0))
          .tag("upstream", name)
          .description("1 while the bridge is connected to its upstream broker, else 0")
          .register(registry);
      counter(RECONNECTS, statuses, name, BridgeStatus::reconnects)
          .description("Bridge connection attempts after the first")
          .register(registry);
      counter(RECEIVED, statuses, name, BridgeStatus::messagesIn)
          .description("Messages the bridge received from its upstream broker (redeliveries too)")
          .register(registry);
      OUTCOMES.forEach(
          (outcome, count) ->
              counter(MESSAGES, statuses, name, count)
                  .tag("outcome", outcome)
                  .description(
                      "Bridged messages by outcome: stored, unmatched (no rule), rejected (by"
                          + " their rule), store_failed (not acknowledged; redelivered later)")
                  .register(registry));
    }
  }

  private static FunctionCounter.Builder<String> counter(
      String meter,
      Supplier<List<BridgeStatus>> statuses,
      String name,
      ToLongFunction<BridgeStatus> count) {
    return FunctionCounter.builder(meter, name, n -> count(statuses, n, count))
        .tag("upstream", name);
  }

  private static long count(
      Supplier<List<BridgeStatus>> statuses, String name, ToLongFunction<BridgeStatus> count) {
    for (BridgeStatus status : statuses.get()) {
      if (status.name().equals(name)) {
        return count.applyAsLong(status);
      }
    }
    return 0;
  }
}
