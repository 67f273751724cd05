package io.inlet.bridge.listener.internal;

import io.inlet.bridge.listener.TlsSettings;
import io.inlet.bridge.listener.internal.connect.MqttConnectHandler;
import io.inlet.bridge.listener.internal.session.MqttConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of each kind of MQTT connection: [TLS] or [HTTP + WebSocket], then the packet framer
 * ({@link MqttPacketFramer}), the MQTT decoder and encoder, then {@link MqttConnectHandler}, which
 * after CONNACK gives its place to an {@code IdleStateHandler} (keep-alive) and {@link
 * MqttConnection}. Kept small: no per-connection buffers beyond Netty's.
 */
public final class MqttChannelInitializer extends ChannelInitializer<Channel> {
  /** MQTT 3.1 limits client ids to 23 characters; later versions do not. */
  private static final int MQTT31_MAX_CLIENT_ID = 23;

  private final ListenerContext context;
  private final SslContext ssl;
  private final String webSocketPath;

  /**
   * @param ssl TLS for every connection, or null
   * @param webSocketPath MQTT over WebSocket at this path, or null for plain MQTT
   */
  MqttChannelInitializer(ListenerContext context, SslContext ssl, String webSocketPath) {
    this.context = context;
    this.ssl = ssl;
    this.webSocketPath = webSocketPath;
  }

  private boolean asksForClientCertificates() {
    TlsSettings tls = context.settings().tlsSettings();
    return tls != null && tls.clientAuth() != TlsSettings.ClientAuth.NONE;
  }

  @Override
  protected void initChannel(Channel channel) {
    ChannelPipeline p = channel.pipeline();
    if (ssl != null) {
      p.addLast("tls", ssl.newHandler(channel.alloc()));
      if (ssl.isServer() && asksForClientCertificates()) {
        p.addLast(
            "tls-client-certificates", new ClientCertificateFailures(context.authenticator()));
      }
    }
    int maxPacketSize = context.settings().maxPacketSize();
    if (webSocketPath != null) {
      p.addLast("http", new HttpServerCodec(4096, 8192, 8192));
      p.addLast("http-aggregator", new HttpObjectAggregator(8192));
      p.addLast(
          "websocket",
          new WebSocketServerProtocolHandler(
              WebSocketServerProtocolConfig.newBuilder()
                  .websocketPath(webSocketPath)
                  .subprotocols("mqtt,mqttv3.1,mqttv3.1.1,mqttv5.0")
                  .checkStartsWith(false)
                  .handshakeTimeoutMillis(context.settings().connectTimeout().toMillis())
                  .decoderConfig(
                      WebSocketDecoderConfig.newBuilder()
                          .maxFramePayloadLength(maxPacketSize + 8)
                          .allowExtensions(false)
                          .build())
                  .build()));
      p.addLast("websocket-frames", new WebSocketFrames());
    }
    DecodedPackets decoded = new DecodedPackets();
    p.addLast("mqtt-framer", new MqttPacketFramer(maxPacketSize, decoded::count));
    p.addLast("mqtt-decoder", new MqttDecoder(maxPacketSize, MQTT31_MAX_CLIENT_ID));
    p.addLast("mqtt-decoded", decoded);
    p.addLast("mqtt-encoder", MqttEncoder.INSTANCE);
    // leaves after CONNACK for the keep-alive IdleStateHandler and the MqttConnection
    p.addLast("mqtt-connect", new MqttConnectHandler(context));
  }
}
