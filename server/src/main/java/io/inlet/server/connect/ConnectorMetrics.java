package io.inlet.server.connect;

import io.inlet.cdc.ConnectorObserver;
import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorStats;
import io.inlet.cdc.runtime.ConnectorStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Each connector's meters, labelled {@code connector}, {@code type} (source, sink) and {@code
 * target}: {@code inlet_connector_records_total} and {@code inlet_connector_bytes_total} (delivered
 * into the stream, or into the table), {@code inlet_connector_dead_letter_records_total}, {@code
 * inlet_connector_errors_total} (task failures; each is followed by a restart), {@code
 * inlet_connector_lag_seconds} (of the last delivered batch: behind the database's commit for a
 * source, behind the stream's append for a sink) and {@code inlet_connector_running} (1 while
 * RUNNING). Registered when a connector appears, removed when it is deleted.
 */
public final class ConnectorMetrics implements ConnectorObserver {
  public static final String RECORDS = "inlet.connector.records";
  public static final String BYTES = "inlet.connector.bytes";
  public static final String DEAD_LETTERS = "inlet.connector.dead.letter.records";
  public static final String ERRORS = "inlet.connector.errors";
  public static final String LAG = "inlet.connector.lag";
  public static final String RUNNING = "inlet.connector.running";

  private final MeterRegistry registry;
  private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

  public ConnectorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void added(
      String name,
      ConnectorType type,
      Target target,
      ConnectorStats stats,
      Supplier<ConnectorStatus> status) {
    Tags tags =
        Tags.of(
            "connector", name, "type", type.name().toLowerCase(Locale.ROOT), "target", target.id());
    List<Meter> list = new ArrayList<>();
    list.add(
        FunctionCounter.builder(RECORDS, stats, ConnectorStats::records)
            .tags(tags)
            .description("Records the connector delivered (into its stream, or into its table)")
            .register(registry));
    list.add(
        FunctionCounter.builder(BYTES, stats, ConnectorStats::bytes)
            .tags(tags)
            .baseUnit("bytes")
            .description("Payload bytes of the records the connector delivered")
            .register(registry));
    list.add(
        FunctionCounter.builder(DEAD_LETTERS, stats, ConnectorStats::deadLetteredRecords)
            .tags(tags)
            .description("Records a sink sent to its dead-letter stream")
            .register(registry));
    list.add(
        FunctionCounter.builder(ERRORS, stats, ConnectorStats::errors)
            .tags(tags)
            .description("Connector task failures (each is followed by a restart with backoff)")
            .register(registry));
    list.add(
        Gauge.builder(LAG, stats, s -> s.lagMs() / 1000.0)
            .tags(tags)
            .baseUnit("seconds")
            .description(
                "Lag of the last delivered batch: behind the database commit (source) or the"
                    + " stream append (sink)")
            .register(registry));
    list.add(
        Gauge.builder(
                RUNNING, status, s -> s.get().state() == ConnectorStatus.State.RUNNING ? 1 : 0)
            .tags(tags)
            .description("1 while the connector is RUNNING, else 0 (NEW, PAUSED, FAILED)")
            // The status supplier is often a lambda nothing else holds: a weak reference (the
            // default) lets the collector take it, and the gauge then reads NaN (no series).
            .strongReference(true)
            .register(registry));
    List<Meter> previous = meters.put(name, list);
    if (previous != null) {
      previous.forEach(registry::remove);
    }
  }

  @Override
  public void removed(String name) {
    List<Meter> list = meters.remove(name);
    if (list != null) {
      list.forEach(registry::remove);
    }
  }
}
