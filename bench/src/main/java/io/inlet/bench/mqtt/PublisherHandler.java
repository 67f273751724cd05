package io.inlet.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One publishing client. After CONNACK it keeps up to {@code window} QoS 1/2 publishes
 * unacknowledged; with a target rate it paces itself open-loop (publish n is due at start + n /
 * rate, and a client that falls behind catches up), otherwise it publishes as fast as
 * acknowledgements allow. Latency runs from writing a publish to its PUBACK (QoS 1) or PUBCOMP (QoS
 * 2). All state is confined to the channel's event loop.
 */
final class PublisherHandler extends ChannelInboundHandlerAdapter {

  private static final int QOS0_BATCH = 64;

  private final MqttConnectMessage connect;
  private final String topic;
  private final MqttQoS qos;
  private final ByteBuf payload;
  private final int window;
  private final double perClientRate; // msgs per nanosecond, 0 = unpaced
  private final LoadStats stats;
  private final CompletableFuture<Void> connected = new CompletableFuture<>();

  // event loop only
  private final long[] sentAt = new long[65536];
  private ChannelHandlerContext ctx;
  private int nextPacketId = 1;
  private int inFlight;
  private long published;
  private long pacingStart;
  private double phase; // of one message interval: when the first message is due
  private boolean running;
  private ScheduledFuture<?> ticker;

  PublisherHandler(
      MqttConnectMessage connect,
      String topic,
      MqttQoS qos,
      ByteBuf payload,
      int window,
      double ratePerSecond,
      LoadStats stats) {
    this.connect = connect;
    this.topic = topic;
    this.qos = qos;
    this.payload = payload;
    this.window = window;
    this.perClientRate = ratePerSecond / 1e9;
    this.stats = stats;
  }

  /** Completes on a successful CONNACK; fails if the broker refuses or the connection drops. */
  CompletableFuture<Void> connected() {
    return connected;
  }

  /**
   * Starts publishing; call from any thread once {@link #connected()} completed. With a rate, the
   * first message is due {@code phase} (0 to 1) of one message interval from now, and each next one
   * an interval later.
   */
  void start(double phase) {
    ctx.executor()
        .execute(
            () -> {
              running = true;
              this.phase = phase;
              pacingStart = System.nanoTime();
              if (perClientRate > 0) {
                ticker =
                    ctx.executor()
                        .scheduleAtFixedRate(this::publishDue, 0, 1, TimeUnit.MILLISECONDS);
              } else {
                publishDue();
              }
            });
  }

  /** Stops publishing and disconnects; call from any thread. */
  CompletableFuture<Void> stop() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    ctx.executor()
        .execute(
            () -> {
              running = false;
              if (ticker != null) {
                ticker.cancel(false);
              }
              ctx.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> ctx.close());
              ctx.channel().closeFuture().addListener(f -> closed.complete(null));
            });
    return closed;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.writeAndFlush(connect);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!connected.isDone()) {
      connected.completeExceptionally(
          new IllegalStateException("connection closed before CONNACK"));
    } else if (running) {
      stats.disconnected();
      running = false;
    }
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connected.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      publishDue();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    MqttMessage message = (MqttMessage) msg;
    if (message.decoderResult().isFailure()) {
      connected.completeExceptionally(message.decoderResult().cause());
      ctx.close();
      return;
    }
    MqttMessageType type = message.fixedHeader().messageType();
    switch (type) {
      case CONNACK -> onConnAck((MqttConnAckMessage) message);
      case PUBACK -> {
        if (qos == MqttQoS.AT_LEAST_ONCE) {
          acknowledged(message);
        }
      }
      case PUBREC -> {
        int id = ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
        MqttFixedHeader header =
            new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0);
        ctx.writeAndFlush(new MqttMessage(header, MqttMessageIdVariableHeader.from(id)));
      }
      case PUBCOMP -> acknowledged(message);
      default -> {
        // PINGRESP and anything else a publisher may ignore
      }
    }
  }

  private void onConnAck(MqttConnAckMessage ack) {
    MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
    if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      connected.complete(null);
    } else {
      connected.completeExceptionally(new IllegalStateException("CONNACK " + code));
      ctx.close();
    }
  }

  private void acknowledged(MqttMessage message) {
    Object header = message.variableHeader();
    int id = ((MqttMessageIdVariableHeader) header).messageId();
    if (header instanceof MqttPubReplyMessageVariableHeader reply
        && (reply.reasonCode() & 0xFF) >= 0x80) {
      stats.error();
    }
    stats.acked(System.nanoTime() - sentAt[id]);
    inFlight--;
    publishDue();
  }

  private void publishDue() {
    if (!running) {
      return;
    }
    long due = Long.MAX_VALUE;
    if (perClientRate > 0) {
      double intervals = (System.nanoTime() - pacingStart) * perClientRate - phase;
      due = intervals < 0 ? 0 : (long) intervals + 1;
    }
    int written = 0;
    while (published < due && ctx.channel().isWritable()) {
      if (qos == MqttQoS.AT_MOST_ONCE) {
        if (written == QOS0_BATCH) {
          ctx.executor().execute(this::publishDue);
          break;
        }
        ctx.write(publish(0));
        stats.sentWithoutAck();
      } else {
        if (inFlight >= window) {
          break;
        }
        int id = nextPacketId;
        nextPacketId = id == 65535 ? 1 : id + 1;
        sentAt[id] = System.nanoTime();
        ctx.write(publish(id));
        inFlight++;
        stats.sent();
      }
      published++;
      written++;
    }
    if (written > 0) {
      ctx.flush();
    }
  }

  private MqttMessage publish(int packetId) {
    return MqttMessageBuilders.publish()
        .topicName(topic)
        .qos(qos)
        .retained(false)
        .messageId(packetId)
        .payload(payload.retainedDuplicate())
        .build();
  }
}
