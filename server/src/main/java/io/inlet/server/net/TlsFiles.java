package io.inlet.server.net;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate files of a TLS port.
 *
 * @param certFile the server's certificate chain (PEM)
 * @param keyFile the server's private key (PEM, PKCS#8, unencrypted)
 * @param clientCaFile CA certificates (PEM) every client's certificate must chain to; null when
 *     clients present no certificate. Set, a client without a valid certificate is refused during
 *     the handshake (mutual TLS: the certificate is the client's credential)
 */
public record TlsFiles(Path certFile, Path keyFile, Path clientCaFile) {
  public TlsFiles {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  /** Whether clients must present a certificate that chains to {@link #clientCaFile}. */
  public boolean clientCertificatesRequired() {
    return clientCaFile != null;
  }
}
