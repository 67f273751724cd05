package io.inlet.server.metrics;

import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.MqttListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The MQTT listener's counters as meters: {@code inlet_mqtt_listener_events_total{event=...}} (one
 * series per {@link ListenerStats.Event}, e.g. {@code publish_stored}, {@code publish_unmatched},
 * {@code connect_refused_credentials}, {@code malformed_packet}), and the gauges {@code
 * inlet_mqtt_listener_connections} (open now) and {@code inlet_mqtt_listener_sessions} (held in
 * memory, connected or awaiting expiry).
 */
public final class MqttListenerMetrics {
  public static final String EVENTS = "inlet.mqtt.listener.events";
  public static final String CONNECTIONS = "inlet.mqtt.listener.connections";
  public static final String SESSIONS = "inlet.mqtt.listener.sessions";
  public static final String INFLIGHT = "inlet.mqtt.listener.inflight";

  private MqttListenerMetrics() {}

  public static void bind(MeterRegistry registry, MqttListener listener) {
    ListenerStats stats = listener.stats();
    for (ListenerStats.Event event : ListenerStats.Event.values()) {
      FunctionCounter.builder(EVENTS, stats, s -> s.count(event))
          .tag("event", event.name().toLowerCase(Locale.ROOT))
          .description(
              "MQTT listener events: connections, CONNECT outcomes, publishes and what became of them")
          .register(registry);
    }
    Gauge.builder(CONNECTIONS, stats, ListenerStats::connections)
        .description("Open MQTT connections")
        .register(registry);
    Gauge.builder(SESSIONS, listener, MqttListener::sessions)
        .description("MQTT sessions held in memory (connected or awaiting expiry)")
        .register(registry);
    Gauge.builder(INFLIGHT, stats, ListenerStats::inflight)
        .description("MQTT publishes received and waiting for the store (their acks wait too)")
        .register(registry);
  }
}
