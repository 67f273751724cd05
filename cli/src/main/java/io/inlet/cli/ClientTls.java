package io.inlet.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the CLI secures its connection to a node: plaintext, TLS trusting the system's CAs or a given
 * CA file, and with a client certificate for a node that requires one (grpc-tls-client-ca-file).
 * The same credentials hstreamdb-java builds from {@code tlsCaPath}, {@code tlsCertPath} and {@code
 * tlsKeyPath}.
 *
 * @param enabled TLS even without a CA file (the system's CAs are trusted)
 * @param caFile PEM CA certificates the node's certificate must chain to, or null
 * @param certFile PEM client certificate chain, or null
 * @param keyFile PEM client private key (PKCS#8), or null
 */
record ClientTls(boolean enabled, Path caFile, Path certFile, Path keyFile) {

  /** Whether the connection uses TLS at all. */
  boolean used() {
    return enabled || caFile != null || certFile != null || keyFile != null;
  }

  /**
   * @throws CliException when only one of the client certificate and key is given, or a file cannot
   *     be read
   */
  ChannelCredentials credentials() {
    if (!used()) {
      return InsecureChannelCredentials.create();
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new CliException("--tls-cert-file and --tls-key-file go together");
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    try {
      if (caFile != null) {
        tls.trustManager(caFile.toFile());
      }
      if (certFile != null) {
        tls.keyManager(certFile.toFile(), keyFile.toFile());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          "cannot read the TLS files ("
              + (caFile == null ? "" : "--tls-ca-file " + caFile + " ")
              + (certFile == null
                  ? ""
                  : "--tls-cert-file " + certFile + " --tls-key-file " + keyFile)
              + "): "
              + e.getMessage());
    }
    return tls.build();
  }
}
