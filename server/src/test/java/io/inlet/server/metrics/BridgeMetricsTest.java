package io.inlet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.bridge.client.BridgeState;
import io.inlet.bridge.client.BridgeStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<BridgeStatus> statuses = new ArrayList<>();

  @Test
  void each_configured_bridge_reports_its_own_state_and_counts_read_at_scrape_time() {
    BridgeMetrics.bind(registry, List.of("plant", "office"), () -> List.copyOf(statuses));
    assertThat(connected("plant")).as("not started yet").isZero();
    assertThat(counter(BridgeMetrics.RECEIVED, "plant")).isZero();

    statuses.add(status("plant", BridgeState.CONNECTED, 10, 7, 2, 1, 0, 3));
    statuses.add(status("office", BridgeState.RECONNECTING, 4, 0, 0, 0, 4, 9));

    assertThat(connected("plant")).isEqualTo(1);
    assertThat(connected("office")).isZero();
    assertThat(counter(BridgeMetrics.RECEIVED, "plant")).isEqualTo(10);
    assertThat(counter(BridgeMetrics.RECONNECTS, "office")).isEqualTo(9);
    assertThat(outcome("plant", "stored")).isEqualTo(7);
    assertThat(outcome("plant", "unmatched")).isEqualTo(2);
    assertThat(outcome("plant", "rejected")).isEqualTo(1);
    assertThat(outcome("office", "store_failed")).isEqualTo(4);
  }

  private double connected(String upstream) {
    return registry.get(BridgeMetrics.CONNECTED).tag("upstream", upstream).gauge().value();
  }

  private double counter(String name, String upstream) {
    return registry.get(name).tag("upstream", upstream).functionCounter().count();
  }

  private double outcome(String upstream, String outcome) {
    return registry
        .get(BridgeMetrics.MESSAGES)
        .tag("upstream", upstream)
        .tag("outcome", outcome)
        .functionCounter()
        .count();
  }

  private static BridgeStatus status(
      String name,
      BridgeState state,
      long in,
      long stored,
      long unmatched,
      long rejected,
      long storeFailures,
      long reconnects) {
    return new BridgeStatus(
        name,
        "127.0.0.1",
        1883,
        false,
        "MQTT 5",
        "inlet-" + name,
        List.of("plant/#"),
        state,
        true,
        state == BridgeState.CONNECTED ? Instant.now() : null,
        null,
        null,
        in,
        stored,
        unmatched,
        rejected,
        storeFailures,
        reconnects);
  }
}
