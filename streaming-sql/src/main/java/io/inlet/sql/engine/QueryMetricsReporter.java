package io.inlet.sql.engine;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter of the in-process cluster that hands the few metrics Inlet shows per
 * query to {@link QueryMeters}. Flink creates it by name from the cluster's configuration ({@link
 * #configure}), in this JVM, so it finds the node's meters through a registration keyed by an id
 * that the configuration carries.
 *
 * <p>A reporter, rather than polling Flink's REST API: it sees each metric object once, when it is
 * registered, and the node reads its current value on every scrape, with no polling thread, no HTTP
 * and no JSON. A remote cluster's metrics stay in that cluster (its own reporters).
 */
public final class QueryMetricsReporter implements MetricReporter {
  static final String NAME = "inlet";
  private static final String METERS_KEY = "meters";
  private static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();

  /** Where a cluster's reports go: the meters, and which job names are queries. */
  private record Target(QueryMeters meters, Predicate<String> isQuery) {}

  private final Target target;

  private QueryMetricsReporter(Target target) {
    this.target = target;
  }

  /**
   * Registers {@code meters} and returns the configuration entries that make a cluster report to
   * them; {@link #unregister} with the returned id when the cluster is closed.
   */
  static Map<String, String> configure(String id, QueryMeters meters, Predicate<String> isQuery) {
    TARGETS.put(id, new Target(meters, isQuery));
    String prefix = "metrics.reporter." + NAME + ".";
    return Map.of(prefix + "factory.class", Factory.class.getName(), prefix + METERS_KEY, id);
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  static void unregister(String id) {
    TARGETS.remove(id);
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    QueryMeters.Kind kind = kind(metricName);
    String query = kind == null || target == null ? null : query(group);
    if (query != null) {
      target.meters().add(query, kind, metric);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    QueryMeters.Kind kind = kind(metricName);
    String query = kind == null || target == null ? null : query(group);
    if (query != null) {
      target.meters().remove(query, kind, metric);
    }
  }

  private String query(MetricGroup group) {
    String job = group.getAllVariables().get("<job_name>");
    return job != null && target.isQuery().test(job) ? job : null;
  }

  private static QueryMeters.Kind kind(String metricName) {
    return switch (metricName) {
      case "inletRecordsRead" -> QueryMeters.Kind.RECORDS_IN;
      case "inletRecordsAppended" -> QueryMeters.Kind.RECORDS_OUT;
      case "inletReadLagMs" -> QueryMeters.Kind.LAG;
      case "lastCheckpointCompletedTimestamp" -> QueryMeters.Kind.CHECKPOINT_AGE;
      case "lastCheckpointFullSize" -> QueryMeters.Kind.STATE_SIZE;
      default -> null;
    };
  }

  /** Found by Flink through {@code META-INF/services} and named in the cluster's configuration. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new QueryMetricsReporter(TARGETS.get(properties.getProperty(METERS_KEY, "")));
    }
  }
}
