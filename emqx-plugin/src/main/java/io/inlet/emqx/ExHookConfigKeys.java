package io.inlet.emqx;

import io.inlet.api.config.Option;
import io.inlet.api.config.ValueParsers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The EMQX ExHook provider's settings: whether it runs, its port, the publishes it asks EMQX for,
 * what it answers when a publish cannot be stored, and how its port is guarded (TLS files, idle
 * timeout, connection cap; the server's gRPC listener applies those).
 */
public final class ExHookConfigKeys {
  private ExHookConfigKeys() {}

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

  public static final Option<Integer> EXHOOK_MAX_CONNECTIONS =
      Option.of(
          "exhook-max-connections",
          "integer",
          "",
          "128",
          "Connections the ExHook port holds open at most (each EMQX node opens its exhook"
              + " pool_size, 8 by default); more are closed as soon as they are accepted.",
          ValueParsers.intRange(1, 1_000_000));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          EXHOOK_ENABLED,
          EXHOOK_PORT,
          EXHOOK_TOPICS,
          EXHOOK_DENY_ON_FAILURE,
          EXHOOK_ANSWER_TIMEOUT,
          EXHOOK_TLS_CERT_FILE,
          EXHOOK_TLS_KEY_FILE,
          EXHOOK_TLS_CLIENT_CA_FILE,
          EXHOOK_IDLE_TIMEOUT,
          EXHOOK_MAX_CONNECTIONS);
}
