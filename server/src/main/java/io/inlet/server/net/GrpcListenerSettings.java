package io.inlet.server.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How one of the node's gRPC ports (the HStreamDB API, the EMQX ExHook provider) accepts and keeps
 * connections.
 *
 * @param prefix the prefix of the port's options, {@code grpc} or {@code exhook}: errors and logs
 *     name {@code <prefix>-tls-cert-file}, {@code <prefix>-max-connections}
 * @param tls the port's certificates, or null for plaintext
 * @param maxConnections connections held open at most; more are closed at once
 * @param handshakeTimeout the longest a new connection may take to finish its TLS handshake and
 *     send the HTTP/2 preface and settings; slower ones are closed
 * @param idleTimeout a connection with no call in flight for this long is closed gracefully
 *     (GOAWAY); zero keeps idle connections
 * @param keepAliveInterval how long a connection may be silent before the server pings it; one that
 *     does not answer the ping within {@link #KEEPALIVE_TIMEOUT} is closed
 */
public record GrpcListenerSettings(
    String prefix,
    TlsFiles tls,
    int maxConnections,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration keepAliveInterval) {

  /** How long a ping may go unanswered before the connection is closed. */
  public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);

  public GrpcListenerSettings {
    Objects.requireNonNull(prefix, "prefix");
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          prefix + "-max-connections must be at least 1, found: " + maxConnections);
    }
    requirePositive(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
    }
    requirePositive(keepAliveInterval, "keepAliveInterval");
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, found: " + d);
    }
  }

  /** The option that sets the connection cap. */
  public String maxConnectionsSetting() {
    return prefix + "-max-connections";
  }

  /** Whether every client must present a certificate (mutual TLS). */
  public boolean authenticatesClients() {
    return tls != null && tls.clientCertificatesRequired();
  }
}
