package io.inlet.server.config;

import io.inlet.api.record.BatchLimits;
import io.inlet.cluster.ClusterSettings;
import io.inlet.cluster.metadata.MetadataSettings;
import io.inlet.cluster.replication.ReplicationSettings;
import io.inlet.server.sql.SqlConfig;
import io.inlet.server.subscription.UnackedLimits;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreConfigKeys;
import io.inlet.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's settings, parsed and validated once (see {@link InletOptions} for what each means
 * and {@link ServerConfigLoader} for where they come from).
 */
public record ServerConfig(
    Path dataDir,
    String bind,
    int grpcPort,
    int httpPort,
    String advertisedAddress,
    int nodeId,
    BatchLimits batchLimits,
    UnackedLimits unackedLimits,
    Duration retentionCheckInterval,
    Duration shutdownTimeout,
    String logLevel,
    boolean unsafeSkipFsync,
    StoreOptions.GroupCommit groupCommit,
    Optional<ShardStorage> shardStorage,
    int openSealedSegments,
    ExHookConfig exhook,
    MqttConfig mqtt,
    NetworkConfig network,
    SqlConfig sql,
    Optional<ClusterSettings> cluster,
    Optional<MetadataSettings> metadata,
    Optional<ReplicationSettings> replication) {

  /**
   * Every setting at its default except the data directory; ports 0 (any free port); the MQTT
   * listener off. These test defaults count as defaults: a test that wants a listener sets its
   * port, e.g. {@code forTests(dir, Map.of("mqtt-port", "0"))}.
   */
  public static ServerConfig forTests(Path dataDir) {
    return forTests(dataDir, Map.of());
  }

  /** The same with {@code settings} (by key, as on the command line) given as well. */
  public static ServerConfig forTests(Path dataDir, Map<String, String> settings) {
    return forTests(dataDir, settings, Map.of());
  }

  /**
   * The same with some defaults replaced as well (e.g. a default port that is taken): a key in
   * {@code defaults} counts as left at its default.
   */
  public static ServerConfig forTests(
      Path dataDir, Map<String, String> settings, Map<String, String> defaults) {
    Map<String, String> given = new HashMap<>(settings);
    given.putIfAbsent(StoreConfigKeys.DATA_DIR.key(), dataDir.toString());
    Map<String, String> testDefaults =
        new HashMap<>(
            Map.of(
                "grpc-port", "0",
                "http-port", "0",
                "exhook-port", "0",
                "mqtt-port", "off",
                "ws-port", "off",
                "replication-port", "0"));
    testDefaults.putAll(defaults);
    return ServerConfigLoader.load(given, null, testDefaults);
  }

  /** Largest Append payload as received (max-record-size). */
  public int maxRecordSize() {
    return batchLimits.maxPayloadBytes();
  }
}
