package io.inlet.cluster.transport;

import io.netty.handler.ssl.SslContext;
import io.scalecube.cluster.transport.api.Transport;
import io.scalecube.cluster.transport.api.TransportConfig;
import io.scalecube.cluster.transport.api.TransportFactory;
import io.scalecube.transport.netty.TransportImpl;

/**
 * Gossip over mutual TLS ({@link ClusterTls}): scalecube's own transport, framing and message
 * codec, with each TCP connection wrapped in TLS. A peer without a certificate signed by the
 * cluster's CA fails the handshake, so none of its messages reaches the membership protocol.
 */
public final class TlsTransportFactory implements TransportFactory {
  private final SslContext serverContext;
  private final SslContext clientContext;

  /**
   * @throws IllegalArgumentException when a file of {@code tls} cannot be read or used
   */
  public TlsTransportFactory(ClusterTls tls) {
    this.serverContext = tls.serverContext();
    this.clientContext = tls.clientContext();
  }

  @Override
  public Transport createTransport(TransportConfig config) {
    return new TransportImpl(
        config.messageCodec(),
        new TlsReceiver(config, serverContext),
        new TlsSender(config, clientContext),
        config.addressMapper());
  }
}
