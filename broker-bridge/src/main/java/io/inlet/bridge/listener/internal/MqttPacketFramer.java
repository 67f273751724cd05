package io.inlet.bridge.listener.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import java.util.function.LongSupplier;

/**
 * Hands Netty's MQTT decoder one whole packet at a time, cut by the fixed header's Remaining
 * Length, and notices a packet whose fields claim more bytes than it holds.
 *
 * <p>Why: the decoder (a replaying decoder) reads a packet's fields without bounding them by the
 * Remaining Length. A CONNECT whose property length, string length or flags promise more than the
 * packet holds makes it wait for bytes that belong to no packet: the connection hangs until a
 * timeout (or takes the next packet's bytes for the rest). Given whole packets, the decoder answers
 * each with exactly one message; a whole packet it answers with none (fields overrun the end) or
 * with more than one (bytes left after its fields) is malformed, and this handler says so with an
 * invalid message, which the connection answers with reason code 0x81, then drops every later byte.
 *
 * <p>A packet larger than the maximum is not collected: from its header on, bytes go straight to
 * the decoder, which refuses it (0x95) as before. Event loop only.
 */
public final class MqttPacketFramer extends ChannelInboundHandlerAdapter {
  private final int maxPacketSize;
  private final LongSupplier packetsDecoded;

  // event loop only
  private ByteBuf cumulation;
  private boolean passThrough;
  private boolean failed;

  /**
   * @param maxPacketSize the largest Remaining Length collected (the decoder's limit)
   * @param packetsDecoded how many messages (valid or not) the decoder has passed on so far
   */
  MqttPacketFramer(int maxPacketSize, LongSupplier packetsDecoded) {
    this.maxPacketSize = maxPacketSize;
    this.packetsDecoded = packetsDecoded;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (failed) {
      in.release();
      return;
    }
    if (passThrough) {
      ctx.fireChannelRead(in);
      return;
    }
    cumulation =
        cumulation == null
            ? in
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    while (cumulation != null && !failed && !passThrough) {
      long frameLength = frameLength(cumulation);
      if (frameLength == NEED_MORE || cumulation.readableBytes() < frameLength) {
        break;
      }
      if (frameLength == UNFRAMED) {
        passThrough = true;
        ByteBuf rest = cumulation;
        cumulation = null;
        ctx.fireChannelRead(rest);
        return;
      }
      ByteBuf packet = cumulation.readRetainedSlice((int) frameLength);
      if (!cumulation.isReadable()) {
        cumulation.release();
        cumulation = null;
      }
      long before = packetsDecoded.getAsLong();
      ctx.fireChannelRead(packet);
      long decoded = packetsDecoded.getAsLong() - before;
      if (decoded != 1) {
        fail(ctx, decoded == 0 ? "its fields run past its end" : "bytes follow its last field");
      }
    }
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    failed = true;
    releaseCumulation();
    ctx.fireChannelRead(
        MqttMessageFactory.newInvalidMessage(
            new DecoderException("malformed packet: " + why + " (Remaining Length)")));
  }

  private static final long NEED_MORE = -1;
  private static final long UNFRAMED = -2;

  /**
   * The length of the packet at the reader index (fixed header included), {@link #NEED_MORE} while
   * its fixed header is incomplete, {@link #UNFRAMED} for a header the decoder must judge (a
   * Remaining Length over 4 bytes, or a packet over the maximum).
   */
  private long frameLength(ByteBuf buf) {
    int start = buf.readerIndex();
    int remaining = 0;
    for (int i = 0; i < 4; i++) {
      if (buf.readableBytes() < 2 + i) {
        return NEED_MORE;
      }
      int digit = buf.getUnsignedByte(start + 1 + i);
      remaining |= (digit & 0x7F) << (7 * i);
      if ((digit & 0x80) == 0) {
        return remaining > maxPacketSize ? UNFRAMED : 2L + i + remaining;
      }
    }
    return UNFRAMED;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseCumulation();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseCumulation();
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
