package io.inlet.server.config;

import io.inlet.server.http.HttpSettings;
import io.inlet.server.net.GrpcListenerSettings;
import io.inlet.server.net.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the gRPC, ExHook and HTTP ports accept, keep and authenticate connections, built from the
 * {@code grpc-tls-*}, {@code exhook-tls-*}, {@code grpc-*} and {@code exhook-*} limits and {@code
 * http-*} options. (The MQTT listener's are in {@link MqttConfig}.)
 *
 * @param grpc the HStreamDB gRPC API's port
 * @param exhook the EMQX ExHook provider's port
 * @param http the HTTP endpoints' port
 */
public record NetworkConfig(
    GrpcListenerSettings grpc, GrpcListenerSettings exhook, HttpSettings http) {

  public NetworkConfig withGrpc(GrpcListenerSettings settings) {
    return new NetworkConfig(settings, exhook, http);
  }

  public NetworkConfig withExHook(GrpcListenerSettings settings) {
    return new NetworkConfig(grpc, settings, http);
  }

  public NetworkConfig withHttp(HttpSettings settings) {
    return new NetworkConfig(grpc, exhook, settings);
  }

  /**
   * Builds the settings from option values.
   *
   * @throws ConfigException for settings that do not go together, or a token file that cannot be
   *     read
   */
  static NetworkConfig from(MqttConfig.Getter get) {
    GrpcListenerSettings grpc =
        grpcPort(
            "grpc",
            tls(
                "grpc",
                get.get(InletOptions.GRPC_TLS_CERT_FILE),
                get.get(InletOptions.GRPC_TLS_KEY_FILE),
                get.get(InletOptions.GRPC_TLS_CLIENT_CA_FILE)),
            get.get(InletOptions.GRPC_MAX_CONNECTIONS),
            get.get(InletOptions.GRPC_IDLE_TIMEOUT),
            get);
    GrpcListenerSettings exhook =
        grpcPort(
            "exhook",
            tls(
                "exhook",
                get.get(InletOptions.EXHOOK_TLS_CERT_FILE),
                get.get(InletOptions.EXHOOK_TLS_KEY_FILE),
                get.get(InletOptions.EXHOOK_TLS_CLIENT_CA_FILE)),
            get.get(InletOptions.EXHOOK_MAX_CONNECTIONS),
            get.get(InletOptions.EXHOOK_IDLE_TIMEOUT),
            get);
    HttpSettings http =
        new HttpSettings(
            get.get(InletOptions.HTTP_MAX_CONNECTIONS),
            get.get(InletOptions.HTTP_REQUEST_TIMEOUT),
            get.get(InletOptions.HTTP_TOKEN_FILE).map(NetworkConfig::readToken).orElse(null));
    return new NetworkConfig(grpc, exhook, http);
  }

  private static GrpcListenerSettings grpcPort(
      String prefix,
      TlsFiles tls,
      int maxConnections,
      Duration idleTimeout,
      MqttConfig.Getter get) {
    return new GrpcListenerSettings(
        prefix,
        tls,
        maxConnections,
        get.get(InletOptions.GRPC_HANDSHAKE_TIMEOUT),
        idleTimeout,
        get.get(InletOptions.GRPC_KEEPALIVE_INTERVAL));
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

  /** The token: the file's content without surrounding white space (a trailing newline). */
  private static String readToken(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new ConfigException("http-token-file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("http-token-file " + file + " cannot be read: " + e.getMessage());
    }
    if (token.isEmpty()) {
      throw new ConfigException("http-token-file " + file + " is empty");
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new ConfigException(
          "http-token-file "
              + file
              + " must hold one token of visible ASCII characters (no spaces or line breaks)");
    }
    return token;
  }
}
