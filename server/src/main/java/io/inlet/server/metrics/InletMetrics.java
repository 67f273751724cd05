package io.inlet.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * The node's meter registry, exposed in the Prometheus text format on {@code GET /metrics}: every
 * module registers its own meters in it (store: {@link io.inlet.store.metrics.StoreMetrics};
 * server: this package), plus the JVM and process meters of Micrometer's binders and two of the
 * node's own: {@code inlet_build_info} and {@code inlet_ready}.
 */
public final class InletMetrics implements AutoCloseable {
  public static final String BUILD_INFO = "inlet.build.info";
  public static final String READY = "inlet.ready";

  /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public InletMetrics(String version, int nodeId, BooleanSupplier ready) {
    Gauge.builder(BUILD_INFO, () -> 1)
        .description("Always 1; its labels tell the Inlet version and node id")
        .tag("version", version)
        .tag("node", Integer.toString(nodeId))
        .register(registry);
    Gauge.builder(READY, () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 while the node is ready (store open, listeners bound), as GET /ready says")
        .register(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
