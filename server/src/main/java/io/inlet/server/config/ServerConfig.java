package io.inlet.server.config;

import io.inlet.api.record.BatchLimits;
import io.inlet.server.subscription.UnackedLimits;
import io.inlet.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;

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
    ExHookConfig exhook,
    MqttConfig mqtt,
    NetworkConfig network,
    SqlConfig sql) {

  /**
   * Every setting at its default except the data directory; ports 0 (any free port); the MQTT
   * listener off (tests that want it turn it on with {@link #withMqttPorts}).
   */
  public static ServerConfig forTests(Path dataDir) {
    return forTests(dataDir, java.util.Map.of());
  }

  /** The same with {@code settings} (by key, as on the command line) set as well. */
  public static ServerConfig forTests(Path dataDir, java.util.Map<String, String> settings) {
    java.util.Map<String, String> values =
        new java.util.HashMap<>(
            java.util.Map.of(
                "data-dir", dataDir.toString(),
                "grpc-port", "0",
                "http-port", "0",
                "exhook-port", "0",
                "mqtt-port", "off",
                "ws-port", "off"));
    values.putAll(settings);
    return ServerConfigLoader.load(values, null);
  }

  /** The same with the MQTT ports replaced (-1 off, 0 any free port). */
  public ServerConfig withMqttPorts(int tcp, int tls, int webSocket) {
    return withMqtt(mqtt.withPorts(tcp, tls, webSocket));
  }

  public ServerConfig withMqtt(MqttConfig mqtt) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        batchLimits,
        unackedLimits,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        network,
        sql);
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(
        dir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        batchLimits,
        unackedLimits,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        network,
        sql);
  }

  public ServerConfig withPorts(int grpc, int http) {
    return new ServerConfig(
        dataDir,
        bind,
        grpc,
        http,
        advertisedAddress,
        nodeId,
        batchLimits,
        unackedLimits,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        network,
        sql);
  }

  public ServerConfig withRetentionCheckInterval(Duration interval) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        batchLimits,
        unackedLimits,
        interval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        network,
        sql);
  }

  /** Largest Append payload as received (max-record-size). */
  public int maxRecordSize() {
    return batchLimits.maxPayloadBytes();
  }

  public ServerConfig withBatchLimits(int maxPayload, int maxDecompressed, int maxRecords) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        new BatchLimits(maxPayload, maxDecompressed, maxRecords),
        unackedLimits,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        network,
        sql);
  }

  public ServerConfig withUnackedLimits(int perSubscription, int perNode) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        batchLimits,
        new UnackedLimits(perSubscription, perNode),
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        network,
        sql);
  }

  public ServerConfig withNetwork(NetworkConfig settings) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        batchLimits,
        unackedLimits,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        exhook,
        mqtt,
        settings,
        sql);
  }

  public ServerConfig withExHook(ExHookConfig settings) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        batchLimits,
        unackedLimits,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync,
        groupCommit,
        settings,
        mqtt,
        network,
        sql);
  }
}
