package io.inlet.server.config;

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
    int maxRecordSize,
    Duration retentionCheckInterval,
    Duration shutdownTimeout,
    String logLevel,
    boolean unsafeSkipFsync) {

  /** Every setting at its default except the data directory; ports 0 (any free port). */
  public static ServerConfig forTests(Path dataDir) {
    return ServerConfigLoader.load(
        java.util.Map.of("data-dir", dataDir.toString(), "grpc-port", "0", "http-port", "0"), null);
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(
        dir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        maxRecordSize,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync);
  }

  public ServerConfig withPorts(int grpc, int http) {
    return new ServerConfig(
        dataDir,
        bind,
        grpc,
        http,
        advertisedAddress,
        nodeId,
        maxRecordSize,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync);
  }

  public ServerConfig withRetentionCheckInterval(Duration interval) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        maxRecordSize,
        interval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync);
  }

  public ServerConfig withMaxRecordSize(int bytes) {
    return new ServerConfig(
        dataDir,
        bind,
        grpcPort,
        httpPort,
        advertisedAddress,
        nodeId,
        bytes,
        retentionCheckInterval,
        shutdownTimeout,
        logLevel,
        unsafeSkipFsync);
  }
}
