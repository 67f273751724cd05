package io.inlet.bridge.listener;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Certificates of the TLS endpoint.
 *
 * @param certFile the server's certificate chain (PEM)
 * @param keyFile the server's private key (PEM, PKCS#8, unencrypted)
 * @param clientCaFile CA certificates (PEM) that client certificates must chain to, or null
 * @param clientAuth whether clients present certificates
 */
public record TlsSettings(Path certFile, Path keyFile, Path clientCaFile, ClientAuth clientAuth) {
  public TlsSettings {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(clientAuth, "clientAuth");
    if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
      throw new IllegalArgumentException("client certificates need a client CA file");
    }
  }

  /** Whether a client must, may or does not present a certificate. */
  public enum ClientAuth {
    NONE,
    OPTIONAL,
    REQUIRED
  }
}
