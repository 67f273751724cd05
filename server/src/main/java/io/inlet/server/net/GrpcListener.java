package io.inlet.server.net;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The connection policy of one of the node's gRPC ports, applied to its {@link NettyServerBuilder}
 * in one place so the HStreamDB API and the ExHook provider are guarded alike:
 *
 * <ul>
 *   <li>the node's shared event loops;
 *   <li>TLS when certificates are set, and client certificates when a client CA is set;
 *   <li>a handshake deadline: a connection that has not completed TLS and sent the HTTP/2 preface
 *       and its SETTINGS within it is closed (gRPC's own default keeps it 120 s);
 *   <li>an idle limit (GOAWAY after that long without a call), server keep-alive pings that close
 *       connections whose peer vanished, and a cap on open connections ({@link ConnectionLimiter}).
 * </ul>
 */
public final class GrpcListener {
  /** Clients may ping this often at most, even without calls (EMQX's ExHook client does). */
  private static final long PERMIT_KEEPALIVE_SECONDS = 10;

  private final GrpcListenerSettings settings;
  private final ConnectionLimiter connections;
  private final SslContext ssl;

  private GrpcListener(GrpcListenerSettings settings, SslContext ssl) {
    this.settings = settings;
    this.ssl = ssl;
    this.connections =
        new ConnectionLimiter(
            settings.prefix(), settings.maxConnectionsSetting(), settings.maxConnections());
  }

  /**
   * Loads the port's certificates, if any.
   *
   * @throws IllegalArgumentException when a certificate, key or CA file cannot be loaded; the
   *     message names the settings and files
   */
  public static GrpcListener create(GrpcListenerSettings settings) {
    return new GrpcListener(settings, settings.tls() == null ? null : sslContext(settings));
  }

  private static SslContext sslContext(GrpcListenerSettings settings) {
    TlsFiles tls = settings.tls();
    String prefix = settings.prefix();
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile());
      if (tls.clientCertificatesRequired()) {
        builder.trustManager(tls.clientCaFile().toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return GrpcSslContexts.configure(builder).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot load "
              + prefix
              + "-tls-cert-file "
              + tls.certFile()
              + " and "
              + prefix
              + "-tls-key-file "
              + tls.keyFile()
              + (tls.clientCaFile() == null
                  ? ""
                  : " (" + prefix + "-tls-client-ca-file " + tls.clientCaFile() + ")")
              + ": "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /**
   * Applies the policy to {@code builder}: the event loops, TLS, the handshake, idle and keep-alive
   * limits and the connection cap.
   */
  public NettyServerBuilder configure(
      NettyServerBuilder builder, EventLoopGroup boss, EventLoopGroup workers) {
    builder
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelFactory(connections.nioServerChannels())
        .handshakeTimeout(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTime(settings.keepAliveInterval().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(GrpcListenerSettings.KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (!settings.idleTimeout().isZero()) {
      builder.maxConnectionIdle(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    return builder;
  }

  public GrpcListenerSettings settings() {
    return settings;
  }

  /** The port's connection cap, with its counts. */
  public ConnectionLimiter connections() {
    return connections;
  }
}
