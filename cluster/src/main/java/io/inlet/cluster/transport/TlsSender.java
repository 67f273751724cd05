package io.inlet.cluster.transport;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import io.scalecube.cluster.transport.api.TransportConfig;
import io.scalecube.transport.netty.Sender;
import io.scalecube.transport.netty.TransportImpl.SenderContext;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/** The dialling side of gossip over mutual TLS: scalecube's TCP sender with a TLS handler. */
final class TlsSender implements Sender {
  private final TransportConfig config;
  private final SslContext sslContext;

  TlsSender(TransportConfig config, SslContext sslContext) {
    this.config = config;
    this.sslContext = sslContext;
  }

  @Override
  public Mono<Connection> connect(String address) {
    return Mono.deferContextual(context -> Mono.just(context.get(SenderContext.class)))
        .map(sender -> client(sender, address))
        .flatMap(TcpClient::connect);
  }

  @Override
  public Mono<Void> send(Message message) {
    return Mono.deferContextual(
        context -> {
          Connection connection = context.get(Connection.class);
          SenderContext sender = context.get(SenderContext.class);
          return connection
              .outbound()
              .sendObject(Mono.just(message).map(sender.messageEncoder()), frame -> true)
              .then();
        });
  }

  private TcpClient client(SenderContext sender, String address) {
    return TcpClient.newConnection()
        .runOn(sender.loopResources())
        .host(Transport.parseHost(address))
        .port(Transport.parsePort(address))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeout())
        .secure(spec -> spec.sslContext(sslContext))
        .doOnChannelInit(
            (observer, channel, remote) -> Framing.install(channel, config.maxFrameLength()));
  }
}
