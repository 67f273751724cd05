package io.inlet.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the {@code server} command, defined once. The command's flags, the config file's
 * keys and the reference table in the docs are generated from {@link #ALL}.
 */
public final class InletOptions {
  private InletOptions() {}

  public static final Option<Path> DATA_DIR =
      Option.of(
          "data-dir",
          "path",
          "",
          "./data",
          "Directory of the stream store (RocksDB); created if missing.",
          ValueParsers.path());

  public static final Option<String> BIND =
      Option.of(
          "bind",
          "address",
          "",
          "127.0.0.1",
          "Address the gRPC and HTTP listeners bind to; 0.0.0.0 listens on every interface.",
          ValueParsers.nonEmpty());

  public static final Option<Integer> GRPC_PORT =
      Option.of(
          "grpc-port",
          "port",
          "",
          "6570",
          "Port of the HStreamDB-compatible gRPC API; 0 picks a free port.",
          ValueParsers.port());

  public static final Option<Integer> HTTP_PORT =
      Option.of(
          "http-port",
          "port",
          "",
          "9464",
          "Port of the HTTP endpoints (/health, /ready); 0 picks a free port.",
          ValueParsers.port());

  public static final Option<Optional<String>> ADVERTISED_ADDRESS =
      Option.of(
          "advertised-address",
          "address",
          "",
          "<the bind address>",
          "Host clients are told to dial (DescribeCluster, Lookup*). Defaults to the bind address,"
              + " or the first non-loopback interface address when bound to 0.0.0.0.",
          text -> Optional.of(ValueParsers.nonEmpty().apply(text)));

  public static final Option<Integer> NODE_ID =
      Option.of(
          "node-id",
          "integer",
          "",
          "1",
          "This node's id, reported by DescribeCluster and lookups.",
          ValueParsers.intRange(1, Integer.MAX_VALUE));

  public static final Option<Integer> MAX_RECORD_SIZE =
      Option.of(
          "max-record-size",
          "size",
          "bytes",
          "1MiB",
          "Largest batch payload an Append accepts, as received (compressed or not).",
          ValueParsers.byteSize(1, 256 << 20));

  public static final Option<Duration> RETENTION_CHECK_INTERVAL =
      Option.of(
          "retention-check-interval",
          "duration",
          "ms, s, m, h, d",
          "60s",
          "How often records older than their stream's backlog duration are deleted.",
          ValueParsers.duration(Duration.ofMillis(10)));

  public static final Option<Duration> SHUTDOWN_TIMEOUT =
      Option.of(
          "shutdown-timeout",
          "duration",
          "ms, s, m, h, d",
          "10s",
          "On SIGTERM/SIGINT, how long in-flight requests may take to finish before they are cut.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<String> LOG_LEVEL =
      Option.of(
          "log-level",
          "level",
          "",
          "info",
          "Log level: trace, debug, info, warn, error or off.",
          ValueParsers.oneOf(Set.of("trace", "debug", "info", "warn", "error", "off")));

  public static final Option<Boolean> UNSAFE_SKIP_FSYNC =
      Option.of(
          "unsafe-skip-fsync",
          "boolean",
          "",
          "false",
          "UNSAFE: acknowledge appends before they are fsync'd; a crash loses acknowledged"
              + " records. For benchmarks only.",
          ValueParsers.bool());

  public static final List<Option<?>> ALL =
      List.of(
          DATA_DIR,
          BIND,
          GRPC_PORT,
          HTTP_PORT,
          ADVERTISED_ADDRESS,
          NODE_ID,
          MAX_RECORD_SIZE,
          RETENTION_CHECK_INTERVAL,
          SHUTDOWN_TIMEOUT,
          LOG_LEVEL,
          UNSAFE_SKIP_FSYNC);

  public static Optional<Option<?>> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst().map(o -> (Option<?>) o);
  }
}
