package io.inlet.cluster.transport;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS between the nodes of a cluster: every node presents its own certificate, and accepts a
 * peer only when the peer's certificate is signed by the cluster's CA. A client also checks that
 * the certificate of the node it dials names the address it dialled (subjectAltName), as HTTPS
 * does, so a node certificate must name the node's advertised address.
 *
 * @param certFile the node's certificate chain (PEM)
 * @param keyFile the node's private key (PEM, PKCS#8)
 * @param caFile the certificates of the CA that signs every node's certificate (PEM)
 */
public record ClusterTls(Path certFile, Path keyFile, Path caFile) {

  public ClusterTls {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(caFile, "caFile");
  }

  /**
   * The accepting side: presents this node's certificate and requires a client certificate signed
   * by the CA.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used
   */
  public SslContext serverContext() {
    return build(() -> serverBuilder().build());
  }

  /** As {@link #serverContext()}, for a gRPC server (HTTP/2 negotiated by ALPN). */
  public SslContext grpcServerContext() {
    return build(() -> GrpcSslContexts.configure(serverBuilder()).build());
  }

  /**
   * The dialling side: presents this node's certificate and trusts only servers signed by the CA.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used
   */
  public SslContext clientContext() {
    return build(() -> clientBuilder().build());
  }

  /** As {@link #clientContext()}, for a gRPC channel (HTTP/2 negotiated by ALPN). */
  public SslContext grpcClientContext() {
    return build(() -> GrpcSslContexts.configure(clientBuilder()).build());
  }

  private SslContextBuilder serverBuilder() {
    return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
        .trustManager(caFile.toFile())
        .clientAuth(ClientAuth.REQUIRE);
  }

  private SslContextBuilder clientBuilder() {
    return SslContextBuilder.forClient()
        .keyManager(certFile.toFile(), keyFile.toFile())
        .trustManager(caFile.toFile());
  }

  private SslContext build(ContextBuilder builder) {
    for (Path file : new Path[] {certFile, keyFile, caFile}) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("cluster TLS: cannot read " + file);
      }
    }
    try {
      return builder.build();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cluster TLS: cannot use certificate "
              + certFile
              + ", key "
              + keyFile
              + " and CA "
              + caFile
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @FunctionalInterface
  private interface ContextBuilder {
    SslContext build() throws Exception;
  }
}
