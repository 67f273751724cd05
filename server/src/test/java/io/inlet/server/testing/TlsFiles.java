package io.inlet.server.testing;

import io.inlet.bridge.listener.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * PEM files for TLS tests, made by a throwaway CA ({@link TestCertificates}): the CA, a server
 * certificate for 127.0.0.1 and localhost, a client certificate from the same CA, and one from a CA
 * the server does not trust.
 */
public record TlsFiles(
    Path ca,
    Path serverCert,
    Path serverKey,
    Path clientCert,
    Path clientKey,
    Path strangerCert,
    Path strangerKey) {

  /** Writes the files into {@code dir}. */
  public static TlsFiles create(Path dir) throws Exception {
    Files.createDirectories(dir);
    TestCertificates authority = TestCertificates.newCa();
    TestCertificates stranger = TestCertificates.newCa();
    TlsFiles files =
        new TlsFiles(
            dir.resolve("ca.pem"),
            dir.resolve("server.pem"),
            dir.resolve("server-key.pem"),
            dir.resolve("client.pem"),
            dir.resolve("client-key.pem"),
            dir.resolve("stranger.pem"),
            dir.resolve("stranger-key.pem"));
    TestCertificates.writeCertificate(authority.ca().certificate(), files.ca());
    TestCertificates.writePem(authority.server(), files.serverCert(), files.serverKey());
    TestCertificates.writePem(authority.client("app-1"), files.clientCert(), files.clientKey());
    TestCertificates.writePem(stranger.client("app-2"), files.strangerCert(), files.strangerKey());
    return files;
  }

  /** The settings of a port with this server certificate, {@code prefix}-tls-*. */
  public Map<String, String> serverSettings(String prefix, boolean requireClientCertificates) {
    return requireClientCertificates
        ? Map.of(
            prefix + "-tls-cert-file", serverCert.toString(),
            prefix + "-tls-key-file", serverKey.toString(),
            prefix + "-tls-client-ca-file", ca.toString())
        : Map.of(
            prefix + "-tls-cert-file", serverCert.toString(),
            prefix + "-tls-key-file", serverKey.toString());
  }
}
