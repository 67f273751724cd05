package io.inlet.server.config;

import io.inlet.api.config.Option;
import io.inlet.api.config.ValueParsers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's own settings: the address every listener binds to and the one clients are told, its
 * id, how long shutdown waits and the log level. (Each module's settings are declared in that
 * module; {@link InletOptions} composes them.)
 */
public final class NodeConfigKeys {
  private NodeConfigKeys() {}

  public static final Option<String> BIND =
      Option.of(
          "bind",
          "address",
          "",
          "127.0.0.1",
          "Address every listener binds to: the gRPC API, EMQX ExHook, MQTT (TCP, TLS,"
              + " WebSocket) and HTTP. 0.0.0.0 listens on every interface; then protect each port"
              + " (the node warns at start-up for each one that is unauthenticated; see"
              + " docs/security.md).",
          ValueParsers.nonEmpty());

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

  public static final Option<Optional<Integer>> IO_THREADS =
      Option.of(
          "io-threads",
          "integer",
          "",
          "<the number of cores less one, at least 1>",
          "Event-loop threads shared by the gRPC, ExHook and MQTT listeners (1 to 1024). No"
              + " blocking work runs on them, and the store's writer and ack threads answer every"
              + " durable append, so by default the loops leave those threads a core: on 2 cores,"
              + " 1 loop gave 9-19% more single-record Appends than 2, and 2 gave 10-15% more"
              + " than 4 (docs/benchmarks.md).",
          text -> Optional.of(ValueParsers.intRange(1, 1024).apply(text)));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(BIND, ADVERTISED_ADDRESS, NODE_ID, IO_THREADS, SHUTDOWN_TIMEOUT, LOG_LEVEL);

  /**
   * The event-loop threads: {@link #IO_THREADS} when set, else one fewer than the cores (at least
   * 1).
   */
  public static int ioThreads(Optional<Integer> set) {
    return set.orElseGet(() -> Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
  }
}
