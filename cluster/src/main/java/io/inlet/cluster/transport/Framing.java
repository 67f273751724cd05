package io.inlet.cluster.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import reactor.netty.NettyPipeline;

/**
 * Gossip frames on a TCP stream: a 4-byte length, then the message. Installed behind the TLS
 * handler, so frames are cut from the decrypted bytes and encrypted after they are framed.
 */
final class Framing {
  private static final String DECODER = "inlet.gossip.frameDecoder";
  private static final String ENCODER = "inlet.gossip.frameEncoder";

  private Framing() {}

  static void install(Channel channel, int maxFrameLength) {
    ChannelPipeline pipeline = channel.pipeline();
    LengthFieldBasedFrameDecoder decoder =
        new LengthFieldBasedFrameDecoder(maxFrameLength, 0, 4, 0, 4);
    LengthFieldPrepender encoder = new LengthFieldPrepender(4);
    if (pipeline.get(NettyPipeline.SslHandler) == null) {
      throw new IllegalStateException("gossip over TLS: the channel has no TLS handler");
    }
    pipeline.addAfter(NettyPipeline.SslHandler, DECODER, decoder);
    pipeline.addAfter(DECODER, ENCODER, encoder);
  }
}
