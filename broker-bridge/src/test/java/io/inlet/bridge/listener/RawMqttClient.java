package io.inlet.bridge.listener;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A byte-level MQTT client for protocol tests: sends exactly the packets (or bytes) a test says,
 * including retransmissions and violations a real client library would not send, and queues what
 * the server answers.
 */
public final class RawMqttClient implements AutoCloseable {
  private static final EventLoopGroup GROUP =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("raw-mqtt-client", true), NioIoHandler.newFactory());

  private final Channel channel;
  private final BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
  private final MqttVersion version;

  private RawMqttClient(int port, MqttVersion version) throws InterruptedException {
    this.version = version;
    this.channel =
        new Bootstrap()
            .group(GROUP)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new MqttDecoder(1 << 20))
                        .addLast(MqttEncoder.INSTANCE)
                        .addLast(
                            new SimpleChannelInboundHandler<MqttMessage>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, MqttMessage msg) {
                                received.add(msg);
                              }
                            });
                  }
                })
            .connect("127.0.0.1", port)
            .sync()
            .channel();
    // what the encoder records when it sends CONNECT, so that answers to raw CONNECT bytes decode
    // as the version they are in
    channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(version);
  }

  public static RawMqttClient open(int port, MqttVersion version) throws InterruptedException {
    return new RawMqttClient(port, version);
  }

  /** Opens a connection and sends CONNECT; returns after the CONNACK (which must accept). */
  public static RawMqttClient connect(
      int port, MqttVersion version, String clientId, boolean cleanStart, MqttProperties props)
      throws InterruptedException {
    RawMqttClient client = open(port, version);
    client.send(client.connectMessage(clientId, cleanStart, props));
    MqttConnAckMessage ack = (MqttConnAckMessage) client.next();
    if (ack.variableHeader().connectReturnCode().byteValue() != 0) {
      throw new AssertionError("CONNECT refused: " + ack.variableHeader());
    }
    client.lastConnAck = ack;
    return client;
  }

  private MqttConnAckMessage lastConnAck;

  public MqttConnAckMessage connAck() {
    return lastConnAck;
  }

  public MqttConnectMessage connectMessage(
      String clientId, boolean cleanStart, MqttProperties props) {
    return connectBuilder(clientId, cleanStart, props).build();
  }

  public MqttMessageBuilders.ConnectBuilder connectBuilder(
      String clientId, boolean cleanStart, MqttProperties props) {
    return MqttMessageBuilders.connect()
        .protocolVersion(version)
        .clientId(clientId)
        .cleanSession(cleanStart)
        .keepAlive(60)
        .properties(props == null ? MqttProperties.NO_PROPERTIES : props);
  }

  /** Sends CONNECT and returns the CONNACK (or whatever the server answered). */
  public MqttMessage handshake(MqttConnectMessage connect) throws InterruptedException {
    send(connect);
    MqttMessage answer = next();
    if (answer instanceof MqttConnAckMessage ack) {
      lastConnAck = ack;
    }
    return answer;
  }

  public void send(MqttMessage message) {
    channel.writeAndFlush(message).syncUninterruptibly();
  }

  /** Writes raw bytes, bypassing the encoder. */
  public void sendBytes(byte[] bytes) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
  }

  public static MqttPublishMessage publish(
      String topic, int qos, int packetId, boolean dup, String payload, MqttProperties props) {
    ByteBuf body = Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8);
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), false, 0),
        new MqttPublishVariableHeader(
            topic, qos == 0 ? -1 : packetId, props == null ? MqttProperties.NO_PROPERTIES : props),
        body);
  }

  public static MqttMessage pubRel(int packetId) {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(packetId));
  }

  public static MqttMessage disconnect(int reason) {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, MqttProperties.NO_PROPERTIES));
  }

  /** The next packet from the server, waiting up to 10 s. */
  public MqttMessage next() throws InterruptedException {
    return next(Duration.ofSeconds(10));
  }

  public MqttMessage next(Duration timeout) throws InterruptedException {
    MqttMessage m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null) {
      throw new AssertionError("no packet from the server within " + timeout);
    }
    ReferenceCountUtil.release(m);
    return m;
  }

  /** The next packet if one arrives within {@code timeout}, else null. */
  public MqttMessage poll(Duration timeout) throws InterruptedException {
    MqttMessage m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (m != null) {
      ReferenceCountUtil.release(m);
    }
    return m;
  }

  /** The type and packet id/reason of an acknowledgement, e.g. {@code PUBACK 3 0x00}. */
  public static String describe(MqttMessage m) {
    Object header = m.variableHeader();
    if (header instanceof MqttPubReplyMessageVariableHeader r) {
      return m.fixedHeader().messageType()
          + " "
          + r.messageId()
          + String.format(" 0x%02X", r.reasonCode() & 0xFF);
    }
    if (header instanceof MqttMessageIdVariableHeader id) {
      return m.fixedHeader().messageType() + " " + id.messageId() + " 0x00";
    }
    if (header instanceof MqttReasonCodeAndPropertiesVariableHeader r) {
      return m.fixedHeader().messageType() + String.format(" 0x%02X", r.reasonCode() & 0xFF);
    }
    if (m instanceof MqttConnAckMessage ack) {
      return "CONNACK"
          + String.format(" 0x%02X", ack.variableHeader().connectReturnCode().byteValue() & 0xFF);
    }
    return String.valueOf(m.fixedHeader().messageType());
  }

  public boolean awaitClosed(Duration timeout) {
    return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** Closes the socket without DISCONNECT (an abrupt end, as a crash or network loss). */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
