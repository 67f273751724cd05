package io.inlet.cluster.transport;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.scalecube.cluster.transport.api.TransportConfig;
import io.scalecube.transport.netty.Receiver;
import io.scalecube.transport.netty.TransportImpl.ReceiverContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/** The accepting side of gossip over mutual TLS: scalecube's TCP receiver with a TLS handler. */
final class TlsReceiver implements Receiver {
  private final TransportConfig config;
  private final SslContext sslContext;

  TlsReceiver(TransportConfig config, SslContext sslContext) {
    this.config = config;
    this.sslContext = sslContext;
  }

  @Override
  public Mono<DisposableServer> bind() {
    return Mono.deferContextual(context -> Mono.just(context.get(ReceiverContext.class)))
        .flatMap(
            receiver ->
                TcpServer.create()
                    .runOn(receiver.loopResources())
                    .port(config.port())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.SO_REUSEADDR, true)
                    .secure(spec -> spec.sslContext(sslContext))
                    .doOnChannelInit(
                        (observer, channel, address) ->
                            Framing.install(channel, config.maxFrameLength()))
                    .handle(
                        (inbound, outbound) ->
                            inbound.receive().retain().doOnNext(receiver::onMessage).then())
                    .bind()
                    .cast(DisposableServer.class));
  }
}
