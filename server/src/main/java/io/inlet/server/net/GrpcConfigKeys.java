package io.inlet.server.net;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import io.inlet.emqx.ExHookConfigKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gRPC API's port and how it accepts, keeps and authenticates connections; the handshake
 * deadline and keep-alive apply to the ExHook port as well (whose own settings are in {@link
 * io.inlet.emqx.ExHookConfigKeys}). {@link #grpc} and {@link #exhook} build the two ports' {@link
 * GrpcListenerSettings}.
 */
public final class GrpcConfigKeys {
  private GrpcConfigKeys() {}

  public static final Option<Integer> GRPC_PORT =
      Option.of(
          "grpc-port",
          "port",
          "",
          "6570",
          "Port of the HStreamDB-compatible gRPC API; 0 picks a free port.",
          ValueParsers.port());

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

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          GRPC_PORT,
          GRPC_TLS_CERT_FILE,
          GRPC_TLS_KEY_FILE,
          GRPC_TLS_CLIENT_CA_FILE,
          GRPC_HANDSHAKE_TIMEOUT,
          GRPC_IDLE_TIMEOUT,
          GRPC_KEEPALIVE_INTERVAL,
          GRPC_MAX_CONNECTIONS);

  /**
   * The gRPC API port's settings.
   *
   * @throws ConfigException for TLS settings that do not go together
   */
  public static GrpcListenerSettings grpc(OptionValues values) {
    return listener(
        "grpc",
        tls(
            "grpc",
            values.get(GRPC_TLS_CERT_FILE),
            values.get(GRPC_TLS_KEY_FILE),
            values.get(GRPC_TLS_CLIENT_CA_FILE)),
        values.get(GRPC_MAX_CONNECTIONS),
        values.get(GRPC_IDLE_TIMEOUT),
        values);
  }

  /**
   * The ExHook port's settings.
   *
   * @throws ConfigException for TLS settings that do not go together
   */
  public static GrpcListenerSettings exhook(OptionValues values) {
    return listener(
        "exhook",
        tls(
            "exhook",
            values.get(ExHookConfigKeys.EXHOOK_TLS_CERT_FILE),
            values.get(ExHookConfigKeys.EXHOOK_TLS_KEY_FILE),
            values.get(ExHookConfigKeys.EXHOOK_TLS_CLIENT_CA_FILE)),
        values.get(ExHookConfigKeys.EXHOOK_MAX_CONNECTIONS),
        values.get(ExHookConfigKeys.EXHOOK_IDLE_TIMEOUT),
        values);
  }

  private static GrpcListenerSettings listener(
      String prefix, TlsFiles tls, int maxConnections, Duration idleTimeout, OptionValues values) {
    return new GrpcListenerSettings(
        prefix,
        tls,
        maxConnections,
        values.get(GRPC_HANDSHAKE_TIMEOUT),
        idleTimeout,
        values.get(GRPC_KEEPALIVE_INTERVAL));
  }

  private static TlsFiles tls(
      String prefix, Optional<Path> cert, Optional<Path> key, Optional<Path> clientCa) {
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException(
          prefix + "-tls-cert-file and " + prefix + "-tls-key-file must be set together");
    }
    if (clientCa.isPresent() && cert.isEmpty()) {
      throw new ConfigException(
          prefix
              + "-tls-client-ca-file needs "
              + prefix
              + "-tls-cert-file and "
              + prefix
              + "-tls-key-file (client certificates are checked during the TLS handshake)");
    }
    return cert.map(c -> new TlsFiles(c, key.get(), clientCa.orElse(null))).orElse(null);
  }
}
