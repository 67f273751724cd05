package io.inlet.server.metrics;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's meters, per HStreamApi method (the bare name, e.g. {@code Append}) and status
 * code: calls started, calls handled, and the handling time of unary calls (streaming calls last as
 * long as the client keeps them open, so their duration says nothing about latency).
 */
public final class GrpcMetrics {
  public static final String STARTED = "inlet.grpc.server.started";
  public static final String HANDLED = "inlet.grpc.server.handled";
  public static final String HANDLING = "inlet.grpc.server.handling";

  private static final Duration[] BUCKETS = {
    Duration.ofNanos(250_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final MeterRegistry registry;
  private final Map<String, MethodMeters> methods = new ConcurrentHashMap<>();

  public GrpcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A call of {@code method} started. */
  void started(String method) {
    meters(method).started.increment();
  }

  /**
   * A call of {@code method} ended with {@code code}.
   *
   * @param unaryNanos how long a unary call took, or -1 for a streaming call
   */
  void handled(String method, Status.Code code, long unaryNanos) {
    MethodMeters meters = meters(method);
    meters.handled(code).increment();
    if (unaryNanos >= 0) {
      meters.handling.record(unaryNanos, TimeUnit.NANOSECONDS);
    }
  }

  private MethodMeters meters(String method) {
    MethodMeters meters = methods.get(method);
    return meters != null ? meters : methods.computeIfAbsent(method, MethodMeters::new);
  }

  private final class MethodMeters {
    final String method;
    final Counter started;
    final Timer handling;
    private final Counter[] handled = new Counter[Status.Code.values().length];

    MethodMeters(String method) {
      this.method = method;
      started =
          Counter.builder(STARTED)
              .description("gRPC calls started, by method")
              .tag("method", method)
              .register(registry);
      handling =
          Timer.builder(HANDLING)
              .description("Time to answer a unary gRPC call, by method")
              .tag("method", method)
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
    }

    Counter handled(Status.Code code) {
      Counter counter = handled[code.ordinal()];
      if (counter == null) {
        counter =
            Counter.builder(HANDLED)
                .description(
                    "gRPC calls ended, by method and status code (OK, NOT_FOUND, UNAVAILABLE, ...)")
                .tag("method", method)
                .tag("status", code.name())
                .register(registry);
        handled[code.ordinal()] = counter;
      }
      return counter;
    }
  }
}
