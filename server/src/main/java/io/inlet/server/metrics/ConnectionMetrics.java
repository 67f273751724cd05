package io.inlet.server.metrics;

import io.inlet.server.net.ConnectionLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Connections of the gRPC, ExHook and HTTP ports, label {@code listener}: {@code
 * inlet_listener_connections} (open now) and {@code inlet_listener_connections_refused_total}
 * (closed at once because the port's {@code *-max-connections} was reached).
 */
public final class ConnectionMetrics {
  public static final String OPEN = "inlet.listener.connections";
  public static final String REFUSED = "inlet.listener.connections.refused";

  private ConnectionMetrics() {}

  public static void bind(MeterRegistry registry, ConnectionLimiter port) {
    Gauge.builder(OPEN, port, ConnectionLimiter::open)
        .tag("listener", port.listener())
        .description("Connections open on the port")
        .register(registry);
    FunctionCounter.builder(REFUSED, port, ConnectionLimiter::refused)
        .tag("listener", port.listener())
        .description(
            "Connections closed as soon as accepted: the port's connection cap was reached")
        .register(registry);
  }
}
