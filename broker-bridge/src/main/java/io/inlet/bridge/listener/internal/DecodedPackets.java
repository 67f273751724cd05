package io.inlet.bridge.listener.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;

/**
 * Counts the messages (valid or not) the MQTT decoder passes on, for {@link MqttPacketFramer};
 * stays in the pipeline while the connect and connection handlers after it change. Event loop only.
 */
public final class DecodedPackets extends ChannelInboundHandlerAdapter {
  // event loop only
  private long count;

  public long count() {
    return count;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof MqttMessage) {
      count++;
    }
    ctx.fireChannelRead(msg);
  }
}
