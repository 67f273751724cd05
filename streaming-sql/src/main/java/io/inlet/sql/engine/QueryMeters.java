package io.inlet.sql.engine;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.ToDoubleFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;

/**
 * The per-query meters of the node's registry ({@code /metrics}), tagged {@code query}, each fed by
 * the Flink metrics of that query's job that {@link QueryMetricsReporter} hands over. A query's
 * meters appear when its job's tasks start and go when they stop; a job with several sources or
 * sinks adds them up (records) or takes the largest (lag).
 */
final class QueryMeters {
  /** What a Flink metric measures for its query. */
  enum Kind {
    /** {@code inletRecordsRead} of the {@code inlet} source: records read from the streams. */
    RECORDS_IN("inlet.sql.query.records.in", "Records the query read from its source streams"),
    /** {@code inletRecordsAppended} of the {@code inlet} sink: records written. */
    RECORDS_OUT(
        "inlet.sql.query.records.out",
        "Records the query appended to its result stream (or its view's changelog)"),
    /** {@code inletReadLagMs} of the {@code inlet} source. */
    LAG(
        "inlet.sql.query.lag",
        "How long ago the records the query reads now were appended; 0 when it has read all"),
    /** The job's {@code lastCheckpointCompletedTimestamp}. */
    CHECKPOINT_AGE(
        "inlet.sql.query.checkpoint.age",
        "Time since the query's last completed checkpoint (where a restart resumes)"),
    /** The job's {@code lastCheckpointFullSize}. */
    STATE_SIZE("inlet.sql.query.state.size", "Size of the query's state in its last checkpoint");

    final String meterName;
    final String description;

    Kind(String meterName, String description) {
      this.meterName = meterName;
      this.description = description;
    }
  }

  private record Key(String query, Kind kind) {}

  /** The Flink metrics behind one meter, and the meter. */
  private static final class Feed {
    final Set<Metric> metrics = new CopyOnWriteArraySet<>();
    Meter meter;
  }

  private final MeterRegistry registry;
  private final Map<Key, Feed> feeds = new ConcurrentHashMap<>();

  QueryMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized void add(String query, Kind kind, Metric metric) {
    Feed feed = feeds.computeIfAbsent(new Key(query, kind), k -> new Feed());
    feed.metrics.add(metric);
    if (feed.meter == null) {
      feed.meter = register(query, kind, feed.metrics);
    }
  }

  synchronized void remove(String query, Kind kind, Metric metric) {
    Key key = new Key(query, kind);
    Feed feed = feeds.get(key);
    if (feed == null) {
      return;
    }
    feed.metrics.remove(metric);
    if (feed.metrics.isEmpty()) {
      feeds.remove(key);
      registry.remove(feed.meter);
    }
  }

  private Meter register(String query, Kind kind, Set<Metric> metrics) {
    return switch (kind) {
      case RECORDS_IN, RECORDS_OUT ->
          FunctionCounter.builder(kind.meterName, metrics, QueryMeters::sumOfCounts)
              .description(kind.description)
              .tag("query", query)
              .register(registry);
      case LAG -> gauge(kind, query, metrics, m -> largest(m) / 1000.0, "seconds");
      case CHECKPOINT_AGE -> gauge(kind, query, metrics, QueryMeters::secondsSince, "seconds");
      case STATE_SIZE -> gauge(kind, query, metrics, QueryMeters::largest, "bytes");
    };
  }

  private Meter gauge(
      Kind kind,
      String query,
      Set<Metric> metrics,
      ToDoubleFunction<Set<Metric>> value,
      String unit) {
    return io.micrometer.core.instrument.Gauge.builder(kind.meterName, metrics, value)
        .description(kind.description)
        .baseUnit(unit)
        .tag("query", query)
        .register(registry);
  }

  private static double sumOfCounts(Set<Metric> metrics) {
    long sum = 0;
    for (Metric m : metrics) {
      if (m instanceof Counter c) {
        sum += c.getCount();
      }
    }
    return sum;
  }

  private static double largest(Set<Metric> metrics) {
    double max = Double.NaN;
    for (Metric m : metrics) {
      double v = value(m);
      if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
        max = v;
      }
    }
    return max;
  }

  /** Seconds since the newest of the timestamps (epoch ms); NaN before the first. */
  private static double secondsSince(Set<Metric> metrics) {
    double newest = largest(metrics);
    if (Double.isNaN(newest) || newest <= 0) {
      return Double.NaN;
    }
    return Math.max(0, System.currentTimeMillis() - newest) / 1000.0;
  }

  private static double value(Metric m) {
    if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
      return n.doubleValue();
    }
    if (m instanceof Counter c) {
      return c.getCount();
    }
    return Double.NaN;
  }
}
