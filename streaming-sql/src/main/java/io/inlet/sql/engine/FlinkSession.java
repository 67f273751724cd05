package io.inlet.sql.engine;

import io.inlet.sql.functions.InletFunctions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the queries' jobs run: one long-lived in-process MiniCluster, started by the first job (a
 * node without queries never starts it), or a remote Flink cluster. Jobs are submitted the same way
 * to both ({@code execution.target=remote} at the cluster's REST address), each with its
 * checkpoints under {@code <data>/sql/checkpoints/<query>}, kept when the job is cancelled.
 */
final class FlinkSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlinkSession.class);

  /** How often a query's sources emit their watermark. */
  static final Duration WATERMARK_INTERVAL = Duration.ofMillis(50);

  private final SqlEngineSettings settings;
  private final QueryMeters meters;
  private final Predicate<String> isQuery;
  private final String reporterId = QueryMetricsReporter.newId();
  private MiniCluster cluster;
  private String restHost;
  private int restPort;
  private boolean closed;

  /**
   * @param meters where the in-process cluster reports the metrics of the jobs whose name passes
   *     {@code isQuery}
   */
  FlinkSession(SqlEngineSettings settings, QueryMeters meters, Predicate<String> isQuery) {
    this.settings = settings;
    this.meters = meters;
    this.isQuery = isQuery;
  }

  /** Whether the in-process cluster runs (false until the first query). */
  synchronized boolean started() {
    return cluster != null || settings.remoteRest() != null;
  }

  private synchronized void ensureStarted() {
    if (closed) {
      throw new IllegalStateException("the SQL engine is closed");
    }
    if (restHost != null) {
      return;
    }
    if (settings.remoteRest() != null) {
      String rest = settings.remoteRest();
      int colon = rest.lastIndexOf(':');
      restHost = rest.substring(0, colon);
      restPort = Integer.parseInt(rest.substring(colon + 1));
      return;
    }
    long started = System.nanoTime();
    Path tmp = settings.dataDir().resolve("tmp");
    deleteRecursively(tmp);
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(CoreOptions.TMP_DIRS, tmp.toString());
    // Managed memory (window aggregates' buffers) is taken lazily, as operators ask for it.
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("512m"));
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("32m"));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("32m"));
    QueryMetricsReporter.configure(reporterId, meters, isQuery)
        .forEach(
            (key, value) -> conf.set(ConfigOptions.key(key).stringType().noDefaultValue(), value));
    MiniClusterConfiguration config =
        new MiniClusterConfiguration.Builder()
            .setConfiguration(conf)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(settings.slots())
            .build();
    MiniCluster mini = new MiniCluster(config);
    try {
      mini.start();
      URI rest = mini.getRestAddress().get(60, TimeUnit.SECONDS);
      restHost = rest.getHost();
      restPort = rest.getPort();
    } catch (Exception e) {
      mini.closeAsync();
      throw new IllegalStateException("cannot start the in-process Flink cluster: " + e, e);
    }
    cluster = mini;
    log.info(
        "in-process Flink cluster started in {} ms (REST on {}:{}, {} slots)",
        (System.nanoTime() - started) / 1_000_000,
        restHost,
        restPort,
        settings.slots());
  }

  /** A streaming table environment whose jobs go to the cluster, for query {@code name}. */
  StreamTableEnvironment streaming(String name, String restorePath) {
    Configuration conf = jobConfiguration(name);
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval());
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir(name).toUri().toString());
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
    // A job failing again and again (a record it cannot process, read again after each restart)
    // ends FAILED, which the engine shows as ABORTED, instead of restarting forever: at most
    // restartAttempts restarts, counted again once it has run restartResetAfter without failing.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        Duration.ofSeconds(10));
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
        settings.restartAttempts());
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        settings.restartResetAfter());
    if (restorePath != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
    }
    // Each shard has its own watermark (see ShardReader); a silent shard stops holding the
    // query's watermark back after this long.
    conf.set(ExecutionConfigOptions.TABLE_EXEC_SOURCE_IDLE_TIMEOUT, settings.sourceIdleTimeout());
    // A window closes when a watermark past its end is emitted: every 50 ms rather than Flink's
    // 200 ms puts less than 50 ms between the record that moves the watermark and the window's
    // result (the generator runs on the source's thread; an emission costs next to nothing).
    conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, WATERMARK_INTERVAL);
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
    return InletFunctions.registerIn(
        StreamTableEnvironment.create(
            env,
            EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build()));
  }

  /** A table environment that plans but never submits (EXPLAIN, schemas). */
  static StreamTableEnvironment planner() {
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
    return InletFunctions.registerIn(
        StreamTableEnvironment.create(
            env,
            EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build()));
  }

  private Configuration jobConfiguration(String name) {
    ensureStarted();
    Configuration conf = new Configuration();
    conf.set(DeploymentOptions.TARGET, "remote");
    conf.set(RestOptions.ADDRESS, restHost);
    conf.set(RestOptions.PORT, restPort);
    conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
    conf.set(PipelineOptions.NAME, name);
    conf.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    if (settings.remoteRest() != null) {
      conf.set(PipelineOptions.JARS, jars());
    }
    return conf;
  }

  private List<String> jars() {
    if (!settings.pipelineJars().isEmpty()) {
      return settings.pipelineJars();
    }
    // This module's jar and what the connector needs that a Flink cluster does not have.
    Set<String> out = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String file = Path.of(entry).getFileName().toString();
      if (entry.endsWith(".jar")
          && (file.startsWith("inlet-api")
              || file.startsWith("inlet-streaming-sql")
              || file.startsWith("grpc-")
              || file.startsWith("protobuf-")
              || file.startsWith("netty-")
              || file.startsWith("jackson-")
              || file.startsWith("guava-")
              || file.startsWith("failureaccess")
              || file.startsWith("perfmark")
              || file.startsWith("zstd-jni"))) {
        out.add(Path.of(entry).toUri().toString());
      }
    }
    codeSource(io.inlet.sql.flink.InletSource.class).ifPresent(out::add);
    codeSource(io.inlet.api.hstream.HStreamApiGrpc.class).ifPresent(out::add);
    return new ArrayList<>(out);
  }

  private static Optional<String> codeSource(Class<?> type) {
    try {
      var source = type.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? Optional.of(path.toUri().toString()) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  Path checkpointDir(String query) {
    return settings.dataDir().resolve("checkpoints").resolve(query).toAbsolutePath();
  }

  Path savepointDir(String query) {
    return settings.dataDir().resolve("savepoints").resolve(query).toAbsolutePath();
  }

  /**
   * The newest completed checkpoint or savepoint of the query (a directory with a {@code _metadata}
   * file), if any.
   */
  Optional<Path> latestRestorePoint(String query) {
    List<Path> candidates = new ArrayList<>();
    for (Path root : List.of(checkpointDir(query), savepointDir(query))) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root, 3)) {
        files
            .filter(p -> p.getFileName().toString().equals("_metadata"))
            .forEach(p -> candidates.add(p.getParent()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return candidates.stream()
        .max(Comparator.comparingLong(p -> p.resolve("_metadata").toFile().lastModified()));
  }

  void deleteState(String query) {
    deleteRecursively(checkpointDir(query));
    deleteRecursively(savepointDir(query));
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (cluster != null) {
      try {
        cluster.closeAsync().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("the in-process Flink cluster did not stop cleanly: {}", e.toString());
      }
      cluster = null;
      deleteRecursively(settings.dataDir().resolve("tmp"));
    }
    QueryMetricsReporter.unregister(reporterId);
  }
}
