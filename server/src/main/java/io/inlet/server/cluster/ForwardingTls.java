package io.inlet.server.cluster;

import io.grpc.netty.GrpcSslContexts;
import io.inlet.cluster.transport.ClusterTls;
import io.inlet.server.net.TlsFiles;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a node dials another node's gRPC port to forward an append: plain TCP when the gRPC port
 * speaks plain TCP ({@code grpc-tls-*} unset); otherwise TLS, trusting the certificates in the
 * cluster's CA file ({@code cluster-tls-ca-file}, which may hold several CAs: the cluster's and the
 * one that signs the nodes' gRPC certificates) and presenting the node's cluster certificate, so a
 * gRPC port that requires client certificates accepts it when its {@code grpc-tls-client-ca-file}
 * holds the cluster's CA. Without the cluster's files the JDK's default trust store is used and no
 * client certificate is presented.
 */
final class ForwardingTls {
  private ForwardingTls() {}

  /**
   * The client side of forwarded appends, or empty for plain TCP.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used
   */
  static Optional<SslContext> clientContext(TlsFiles grpcTls, Optional<ClusterTls> clusterTls) {
    if (grpcTls == null) {
      return Optional.empty();
    }
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (clusterTls.isPresent()) {
      ClusterTls files = clusterTls.get();
      builder
          .keyManager(readable(files.certFile()), readable(files.keyFile()))
          .trustManager(readable(files.caFile()));
    }
    try {
      return Optional.of(GrpcSslContexts.configure(builder).build());
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "forwarding appends over TLS: cannot use the cluster's certificate files: "
              + e.getMessage(),
          e);
    }
  }

  private static File readable(Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("forwarding appends over TLS: cannot read " + file);
    }
    return file.toFile();
  }
}
