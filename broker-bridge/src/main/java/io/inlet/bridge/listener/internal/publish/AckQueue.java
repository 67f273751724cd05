package io.inlet.bridge.listener.internal.publish;

import io.inlet.bridge.listener.internal.Packets;
import io.inlet.bridge.listener.internal.ReasonCodes;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The QoS 1/2 acknowledgements of one connection, sent in the order the publishes arrived (MQTT
 * 3.1.1 §4.6) however their decisions complete, and the count of publishes the client has in flight
 * (receive maximum). Event loop only.
 */
public final class AckQueue {
  private record PendingAck(int packetId, int qos, CompletableFuture<Integer> decision) {}

  private final ArrayDeque<PendingAck> pending = new ArrayDeque<>(4);
  private int inflight;

  /** A QoS 1/2 publish arrived: it counts against the receive maximum until fully acknowledged. */
  public void received() {
    inflight++;
  }

  /** QoS 1/2 publishes not yet fully acknowledged (QoS 2: until PUBCOMP). */
  public int inflight() {
    return inflight;
  }

  /** A QoS 2 flow ended with PUBCOMP. */
  public void completed() {
    if (inflight > 0) {
      inflight--;
    }
  }

  public void add(int packetId, int qos, CompletableFuture<Integer> decision) {
    pending.add(new PendingAck(packetId, qos, decision));
  }

  /** Acknowledgements waiting for their decision or for an earlier one. */
  public int size() {
    return pending.size();
  }

  /**
   * Writes (without flushing) the acknowledgements at the head whose decisions are made.
   *
   * @return false when a decision is to close the connection (nothing after it is written)
   */
  public boolean drain(ChannelHandlerContext ctx) {
    while (!pending.isEmpty() && pending.peek().decision().isDone()) {
      PendingAck ack = pending.poll();
      int decision;
      try {
        decision = ack.decision().join();
      } catch (RuntimeException e) {
        decision = ReasonCodes.CLOSE;
      }
      if (decision == ReasonCodes.CLOSE) {
        return false;
      }
      if (ack.qos() == 1) {
        ctx.write(Packets.pubAck(ack.packetId(), decision));
        completed();
      } else {
        ctx.write(Packets.pubRec(ack.packetId(), decision));
        if (decision >= ReasonCodes.UNSPECIFIED_ERROR) {
          completed(); // an error PUBREC ends the flow
        }
      }
    }
    return true;
  }
}
