package io.inlet.server.config;

import io.inlet.api.record.BatchLimits;
import io.inlet.bridge.auth.LoginThrottle;
import io.inlet.emqx.ExHookSettings;
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
          "Directory of the stream store (RocksDB); created if missing. A new store is created"
              + " only in an empty directory; `inlet server repair` checks and repairs one.",
          ValueParsers.path());

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
          "Port of the HTTP endpoints (/metrics, /health, /ready); 0 picks a free port.",
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
          BatchLimits.PAYLOAD_SETTING,
          "size",
          "bytes",
          "1MiB",
          "Largest batch payload an Append accepts, as received (compressed or not).",
          ValueParsers.byteSize(1, 256 << 20));

  public static final Option<Integer> MAX_DECOMPRESSED_BATCH_SIZE =
      Option.of(
          BatchLimits.DECOMPRESSED_SETTING,
          "size",
          "bytes",
          "16MiB",
          "Largest batch payload once decompressed; Append refuses a larger one and decompression"
              + " stops there (a gzip or zstd bomb allocates no more). Also what reading a stored"
              + " batch may open: never lower it below batches already stored. At least"
              + " max-record-size.",
          ValueParsers.byteSize(1, BatchLimits.DECOMPRESSED_CEILING));

  public static final Option<Integer> MAX_BATCH_RECORDS =
      Option.of(
          BatchLimits.RECORDS_SETTING,
          "integer",
          "",
          "100000",
          "Most records one Append may carry (its batchSize).",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Integer> SUBSCRIPTION_MAX_UNACKED_RECORDS =
      Option.of(
          "subscription-max-unacked-records",
          "integer",
          "",
          "100000",
          "Ceiling on the records one subscription may have delivered and not acknowledged,"
              + " whatever maxUnackedRecords it asks for; delivery pauses there until acks come.",
          ValueParsers.intRange(1, Integer.MAX_VALUE));

  public static final Option<Integer> NODE_MAX_UNACKED_RECORDS =
      Option.of(
          "node-max-unacked-records",
          "integer",
          "",
          "1000000",
          "Ceiling on the unacknowledged records of all subscriptions this node delivers. Only"
              + " bookkeeping is held for them (about 100 bytes per record at worst, payloads are"
              + " re-read from the store when redelivered).",
          ValueParsers.intRange(1, Integer.MAX_VALUE));

  public static final Option<Duration> RETENTION_CHECK_INTERVAL =
      Option.of(
          "retention-check-interval",
          "duration",
          "ms, s, m, h, d",
          "60s",
          "How often records older than their stream's backlog duration are deleted.",
          ValueParsers.duration(Duration.ofMillis(10)));

  public static final Option<Integer> STORE_MAX_QUEUED_BYTES =
      Option.of(
          "store-max-queued-bytes",
          "size",
          "bytes",
          "256MiB",
          "Appends waiting for the store's writer, in bytes, beyond which new appends are refused"
              + " (\"store is overloaded\", gRPC UNAVAILABLE), so a slow disk cannot exhaust the"
              + " heap.",
          ValueParsers.byteSize(1 << 20, Integer.MAX_VALUE));

  public static final Option<Integer> STORE_GROUP_MAX_BYTES =
      Option.of(
          "store-group-max-bytes",
          "size",
          "bytes",
          "32MiB",
          "Group commit: bytes the store writes with one write and one fsync at most; a group"
              + " closes once it holds this much.",
          ValueParsers.byteSize(64 << 10, 1 << 30));

  public static final Option<Integer> STORE_GROUP_MAX_OPS =
      Option.of(
          "store-group-max-ops",
          "integer",
          "",
          "4096",
          "Group commit: appends (and other writes) the store takes into one group at most.",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Integer> STORE_ACK_THREADS =
      Option.of(
          "store-ack-threads",
          "integer",
          "",
          "1",
          "Threads that complete appends once their group is durable and wake tailing readers."
              + " With more than one, the acknowledgements of consecutive groups may go out in"
              + " either order.",
          ValueParsers.intRange(1, 16));

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

  public static final Option<Boolean> EXHOOK_ENABLED =
      Option.of(
          "exhook-enabled",
          "boolean",
          "",
          "true",
          "Serve EMQX's ExHook (emqx.exhook.v2 for EMQX 5.0-5.8, v3 for 5.9+): EMQX hands each"
              + " publish to Inlet and routes it only once Inlet stored it.",
          ValueParsers.bool());

  public static final Option<Integer> EXHOOK_PORT =
      Option.of(
          "exhook-port",
          "port",
          "",
          "9000",
          "Port of the EMQX ExHook gRPC server; 0 picks a free port. When the default port is in"
              + " use the node runs without ExHook and says so; a port set explicitly must be free.",
          ValueParsers.port());

  public static final Option<List<String>> EXHOOK_TOPICS =
      Option.of(
          "exhook-topics",
          "filters",
          "comma-separated",
          "#",
          "MQTT topic filters whose publishes EMQX hands to Inlet through ExHook.",
          ExHookSettings::parseTopicFilters);

  public static final Option<Boolean> EXHOOK_DENY_ON_FAILURE =
      Option.of(
          "exhook-deny-on-failure",
          "boolean",
          "",
          "false",
          "When a publish cannot be stored (store failure, or no outcome within"
              + " exhook-answer-timeout), tell EMQX to drop it (allow_publish=false) rather than"
              + " route it unstored.",
          ValueParsers.bool());

  public static final Option<Duration> EXHOOK_ANSWER_TIMEOUT =
      Option.of(
          "exhook-answer-timeout",
          "duration",
          "ms, s, m, h, d",
          "4s",
          "Latest time to answer EMQX's message.publish hook (sooner when EMQX's call deadline is"
              + " sooner); keep it below the request_timeout of EMQX's exhook server entry (5s).",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Optional<Path>> GRPC_TLS_CERT_FILE =
      Option.of(
          "grpc-tls-cert-file",
          "path",
          "",
          "<none>",
          "PEM certificate chain of the gRPC API (with grpc-tls-key-file): the gRPC port then"
              + " speaks TLS only.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> GRPC_TLS_KEY_FILE =
      Option.of(
          "grpc-tls-key-file",
          "path",
          "",
          "<none>",
          "PEM private key (PKCS#8, unencrypted) of the gRPC API's certificate.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> GRPC_TLS_CLIENT_CA_FILE =
      Option.of(
          "grpc-tls-client-ca-file",
          "path",
          "",
          "<none: no client certificates>",
          "PEM CA certificates gRPC clients' certificates must chain to. Set, every gRPC client"
              + " must present such a certificate (mutual TLS, as HStreamDB's TLS authentication):"
              + " the only way the gRPC API authenticates clients. Needs grpc-tls-cert-file.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> EXHOOK_TLS_CERT_FILE =
      Option.of(
          "exhook-tls-cert-file",
          "path",
          "",
          "<none>",
          "PEM certificate chain of the ExHook port (with exhook-tls-key-file): the port then"
              + " speaks TLS only (EMQX: url https://..., ssl.enable = true).",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> EXHOOK_TLS_KEY_FILE =
      Option.of(
          "exhook-tls-key-file",
          "path",
          "",
          "<none>",
          "PEM private key (PKCS#8, unencrypted) of the ExHook port's certificate.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> EXHOOK_TLS_CLIENT_CA_FILE =
      Option.of(
          "exhook-tls-client-ca-file",
          "path",
          "",
          "<none: no client certificates>",
          "PEM CA certificates EMQX's client certificate must chain to (EMQX: ssl.certfile and"
              + " ssl.keyfile). Set, only a client with such a certificate may call ExHook. Needs"
              + " exhook-tls-cert-file.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Duration> GRPC_HANDSHAKE_TIMEOUT =
      Option.of(
          "grpc-handshake-timeout",
          "duration",
          "ms, s, m, h, d",
          "10s",
          "Longest a new connection to the gRPC or ExHook port may take to finish TLS (when on)"
              + " and send the HTTP/2 preface; one that has not is closed.",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Duration> GRPC_IDLE_TIMEOUT =
      Option.of(
          "grpc-idle-timeout",
          "duration",
          "ms, s, m, h, d",
          "5m",
          "A gRPC API connection with no call in flight for this long is closed gracefully"
              + " (HTTP/2 GOAWAY); clients reconnect on their next call. 0s keeps idle"
              + " connections.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<Duration> EXHOOK_IDLE_TIMEOUT =
      Option.of(
          "exhook-idle-timeout",
          "duration",
          "ms, s, m, h, d",
          "0s",
          "An ExHook connection with no call in flight for this long is closed gracefully"
              + " (GOAWAY). Off (0s) by default: EMQX keeps a pool of connections open on purpose,"
              + " and its next publish would wait for a reconnect.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<Duration> GRPC_KEEPALIVE_INTERVAL =
      Option.of(
          "grpc-keepalive-interval",
          "duration",
          "ms, s, m, h, d",
          "1m",
          "A gRPC or ExHook connection silent for this long is pinged; one that does not answer"
              + " within 20s is closed (its client is gone).",
          ValueParsers.duration(Duration.ofSeconds(1)));

  public static final Option<Integer> GRPC_MAX_CONNECTIONS =
      Option.of(
          "grpc-max-connections",
          "integer",
          "",
          "1000",
          "Connections the gRPC port holds open at most; more are closed as soon as they are"
              + " accepted.",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Integer> EXHOOK_MAX_CONNECTIONS =
      Option.of(
          "exhook-max-connections",
          "integer",
          "",
          "128",
          "Connections the ExHook port holds open at most (each EMQX node opens its exhook"
              + " pool_size, 8 by default); more are closed as soon as they are accepted.",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Integer> HTTP_MAX_CONNECTIONS =
      Option.of(
          "http-max-connections",
          "integer",
          "",
          "64",
          "Connections the HTTP port holds open at most; more are closed as soon as they are"
              + " accepted.",
          ValueParsers.intRange(1, 1_000_000));

  public static final Option<Duration> HTTP_REQUEST_TIMEOUT =
      Option.of(
          "http-request-timeout",
          "duration",
          "ms, s, m, h, d",
          "10s",
          "Longest an HTTP client may take to send a whole request, from connecting or from the"
              + " previous response on a kept-alive connection; a slower (or silent) client is"
              + " closed.",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Optional<Path>> HTTP_TOKEN_FILE =
      Option.of(
          "http-token-file",
          "path",
          "",
          "<none: /metrics is open>",
          "File holding a bearer token GET /metrics then requires (Authorization: Bearer"
              + " <token>; Prometheus: authorization.credentials_file). /health and /ready stay"
              + " open. Read at start-up.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Integer> MQTT_PORT =
      Option.of(
          "mqtt-port",
          "port",
          "",
          "1883",
          "Port of the MQTT listener (MQTT 3.1, 3.1.1, 5 over TCP); 0 picks a free port, off"
              + " disables it. Left at the default and already in use (another broker?), the"
              + " listener is skipped with a warning; set explicitly, a port in use is an error.",
          ValueParsers.portOrOff());

  public static final Option<Integer> MQTTS_PORT =
      Option.of(
          "mqtts-port",
          "port",
          "",
          "8883",
          "Port of MQTT over TLS; listens only when tls-cert-file and tls-key-file are set;"
              + " off disables it.",
          ValueParsers.portOrOff());

  public static final Option<Integer> WS_PORT =
      Option.of(
          "ws-port",
          "port",
          "",
          "8083",
          "Port of MQTT over WebSocket (path /mqtt, subprotocol mqtt); off disables it. Left at"
              + " the default and already in use, it is skipped with a warning.",
          ValueParsers.portOrOff());

  public static final Option<Optional<Path>> TLS_CERT_FILE =
      Option.of(
          "tls-cert-file",
          "path",
          "",
          "<none>",
          "PEM certificate chain of the MQTT TLS listener (with tls-key-file).",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> TLS_KEY_FILE =
      Option.of(
          "tls-key-file",
          "path",
          "",
          "<none>",
          "PEM private key (PKCS#8, unencrypted) of the MQTT TLS listener.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> TLS_CLIENT_CA_FILE =
      Option.of(
          "tls-client-ca-file",
          "path",
          "",
          "<none>",
          "PEM CA certificates that MQTT client certificates must chain to (for tls-client-auth).",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<String> TLS_CLIENT_AUTH =
      Option.of(
          "tls-client-auth",
          "mode",
          "",
          "none",
          "MQTT TLS client certificates: none, optional or required. A verified certificate"
              + " authenticates the client as the user named by its CN (unless it sends a"
              + " password).",
          ValueParsers.oneOf(
              new java.util.LinkedHashSet<>(List.of("none", "optional", "required"))));

  public static final Option<Optional<Path>> PASSWORD_FILE =
      Option.of(
          "password-file",
          "path",
          "",
          "<none>",
          "MQTT users and salted password hashes; manage it with `inlet user add|delete|list`."
              + " Re-read within a second of a change.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Boolean>> ALLOW_ANONYMOUS =
      Option.of(
          "allow-anonymous",
          "boolean",
          "",
          "<true when bind is a loopback address, else false>",
          "Accept MQTT clients without verified credentials. Off by default when listening"
              + " beyond loopback, as Mosquitto 2 does.",
          text -> Optional.of(ValueParsers.bool().apply(text)));

  public static final Option<Optional<Path>> ACL_FILE =
      Option.of(
          "acl-file",
          "path",
          "",
          "<none: every client may publish everywhere>",
          "Who may publish where (Mosquitto-style `user`, `topic`, `pattern` lines; see"
              + " docs/mqtt.md). Re-read within a second of a change.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Integer> MQTT_MAX_PACKET_SIZE =
      Option.of(
          "mqtt-max-packet-size",
          "size",
          "bytes",
          "1MiB",
          "Largest MQTT packet accepted; a larger one closes the connection (MQTT 5: DISCONNECT"
              + " 0x95). Advertised to MQTT 5 clients.",
          ValueParsers.byteSize(64, 268_435_455));

  public static final Option<Integer> MQTT_RECEIVE_MAXIMUM =
      Option.of(
          "mqtt-receive-maximum",
          "integer",
          "",
          "32",
          "QoS 1/2 publishes a client may have unacknowledged. Advertised to MQTT 5 clients (one"
              + " exceeding it is disconnected with 0x93); reading from any client pauses while"
              + " this many of its publishes wait for the store.",
          ValueParsers.intRange(1, 65535));

  public static final Option<Duration> MQTT_MAX_SESSION_EXPIRY =
      Option.of(
          "mqtt-max-session-expiry",
          "duration",
          "ms, s, m, h, d",
          "2h",
          "Longest a persistent MQTT session (QoS 2 state) is kept after its client disconnects;"
              + " also the expiry of MQTT 3 clean-session=false sessions. Sessions live in memory:"
              + " a restart ends them.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<Integer> MQTT_TOPIC_ALIAS_MAXIMUM =
      Option.of(
          "mqtt-topic-alias-maximum",
          "integer",
          "",
          "10",
          "Topic aliases an MQTT 5 client may use per connection (0: none).",
          ValueParsers.intRange(0, 65535));

  public static final Option<Integer> MQTT_KEEPALIVE_MAX =
      Option.of(
          "mqtt-keepalive-max",
          "integer",
          "seconds",
          "65535",
          "Longest keep-alive a client may use (also applied to clients asking for 0). A client"
              + " silent for 1.5 times its keep-alive is disconnected and its will fires.",
          ValueParsers.intRange(1, 65535));

  public static final Option<String> MQTT_UNMATCHED_PUBLISH =
      Option.of(
          "mqtt-unmatched-publish",
          "policy",
          "",
          "drop",
          "MQTT 3 publish that matches no rule or that the rule rejects: drop (acknowledge and"
              + " count it) or disconnect. MQTT 5 clients get reason code 0x10 or 0x99.",
          ValueParsers.oneOf(new java.util.LinkedHashSet<>(List.of("drop", "disconnect"))));

  public static final Option<String> MQTT_DENIED_PUBLISH =
      Option.of(
          "mqtt-denied-publish",
          "policy",
          "",
          "drop",
          "MQTT 3 publish the ACL denies: drop (acknowledge and count it) or disconnect. MQTT 5"
              + " clients get reason code 0x87.",
          ValueParsers.oneOf(new java.util.LinkedHashSet<>(List.of("drop", "disconnect"))));

  public static final Option<Integer> MQTT_LOGIN_FAILURE_BURST =
      Option.of(
          "mqtt-login-failure-burst",
          "integer",
          "",
          Integer.toString(LoginThrottle.Settings.DEFAULT.burst()),
          "Failed MQTT logins (wrong password, unknown user, refused client certificate) a client"
              + " address may have in a row; past them its CONNECTs are refused unchecked (MQTT 5:"
              + " 0x8A Banned, MQTT 3: 0x05) until it earns another attempt. 0 turns the limit"
              + " off.",
          ValueParsers.intRange(0, 1_000_000));

  public static final Option<Duration> MQTT_LOGIN_FAILURE_INTERVAL =
      Option.of(
          "mqtt-login-failure-interval",
          "duration",
          "ms, s, m, h, d",
          ValueParsers.format(LoginThrottle.Settings.DEFAULT.interval()),
          "After its burst of failed logins, an address earns one more attempt per interval.",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Integer> MQTT_LOGIN_FAILURE_ADDRESSES =
      Option.of(
          "mqtt-login-failure-addresses",
          "integer",
          "",
          Integer.toString(LoginThrottle.Settings.DEFAULT.maxAddresses()),
          "Client addresses whose failed logins are remembered at most (bounds the memory; beyond"
              + " it the address that failed least recently is forgotten).",
          ValueParsers.intRange(1, 10_000_000));

  public static final Option<Optional<String>> SQL_FLINK_REST =
      Option.of(
          "sql-flink-rest",
          "host:port",
          "",
          "<none: an in-process Flink cluster>",
          "A Flink cluster's REST address: SQL queries run there instead of in an in-process"
              + " cluster, reading and writing streams through this node's gRPC port"
              + " (advertised-address:grpc-port).",
          text -> Optional.of(ValueParsers.nonEmpty().apply(text)));

  public static final Option<Optional<String>> SQL_EVENT_TIME_FIELD =
      Option.of(
          "sql-event-time-field",
          "name",
          "",
          "<none: the append time>",
          "The record field holding a record's event time (epoch milliseconds or an ISO-8601"
              + " instant) for the windows of SQL queries; records without it, or every record"
              + " when unset, take the time they were appended.",
          text -> Optional.of(ValueParsers.nonEmpty().apply(text)));

  public static final Option<Duration> SQL_ALLOWED_LATENESS =
      Option.of(
          "sql-allowed-lateness",
          "duration",
          "ms, s, m, h, d",
          "0s",
          "How far a record's event time may be behind the newest one seen and still count in"
              + " SQL windows (the watermark's delay); later records are dropped.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<Duration> SQL_CHECKPOINT_INTERVAL =
      Option.of(
          "sql-checkpoint-interval",
          "duration",
          "ms, s, m, h, d",
          "5s",
          "How often a SQL query checkpoints its positions and state (where a restart resumes"
              + " after a crash).",
          ValueParsers.duration(Duration.ofMillis(100)));

  public static final List<Option<?>> ALL =
      List.of(
          DATA_DIR,
          BIND,
          GRPC_PORT,
          HTTP_PORT,
          ADVERTISED_ADDRESS,
          NODE_ID,
          MAX_RECORD_SIZE,
          MAX_DECOMPRESSED_BATCH_SIZE,
          MAX_BATCH_RECORDS,
          SUBSCRIPTION_MAX_UNACKED_RECORDS,
          NODE_MAX_UNACKED_RECORDS,
          RETENTION_CHECK_INTERVAL,
          STORE_MAX_QUEUED_BYTES,
          STORE_GROUP_MAX_BYTES,
          STORE_GROUP_MAX_OPS,
          STORE_ACK_THREADS,
          SHUTDOWN_TIMEOUT,
          LOG_LEVEL,
          UNSAFE_SKIP_FSYNC,
          EXHOOK_ENABLED,
          EXHOOK_PORT,
          EXHOOK_TOPICS,
          EXHOOK_DENY_ON_FAILURE,
          EXHOOK_ANSWER_TIMEOUT,
          GRPC_TLS_CERT_FILE,
          GRPC_TLS_KEY_FILE,
          GRPC_TLS_CLIENT_CA_FILE,
          EXHOOK_TLS_CERT_FILE,
          EXHOOK_TLS_KEY_FILE,
          EXHOOK_TLS_CLIENT_CA_FILE,
          GRPC_HANDSHAKE_TIMEOUT,
          GRPC_IDLE_TIMEOUT,
          EXHOOK_IDLE_TIMEOUT,
          GRPC_KEEPALIVE_INTERVAL,
          GRPC_MAX_CONNECTIONS,
          EXHOOK_MAX_CONNECTIONS,
          HTTP_MAX_CONNECTIONS,
          HTTP_REQUEST_TIMEOUT,
          HTTP_TOKEN_FILE,
          MQTT_PORT,
          MQTTS_PORT,
          WS_PORT,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          TLS_CLIENT_CA_FILE,
          TLS_CLIENT_AUTH,
          PASSWORD_FILE,
          ALLOW_ANONYMOUS,
          ACL_FILE,
          MQTT_MAX_PACKET_SIZE,
          MQTT_RECEIVE_MAXIMUM,
          MQTT_MAX_SESSION_EXPIRY,
          MQTT_TOPIC_ALIAS_MAXIMUM,
          MQTT_KEEPALIVE_MAX,
          MQTT_UNMATCHED_PUBLISH,
          MQTT_DENIED_PUBLISH,
          MQTT_LOGIN_FAILURE_BURST,
          MQTT_LOGIN_FAILURE_INTERVAL,
          MQTT_LOGIN_FAILURE_ADDRESSES,
          SQL_FLINK_REST,
          SQL_EVENT_TIME_FIELD,
          SQL_ALLOWED_LATENESS,
          SQL_CHECKPOINT_INTERVAL);

  public static Optional<Option<?>> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst().map(o -> (Option<?>) o);
  }
}
