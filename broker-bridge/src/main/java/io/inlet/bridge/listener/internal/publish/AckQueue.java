package io.inlet.bridge.listener.internal.publish;

import io.inlet.bridge.listener.internal.Packets;
import io.inlet.bridge.listener.internal.ReasonCodes;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;

/**
 * The QoS 1/2 acknowledgements of one connection, sent in the order the publishes arrived (MQTT
 * 3.1.1 §4.6) however their decisions complete, and the count of publishes the client has in flight
 * (receive maximum). Event loop only, except {@link PendingAck#decide}, which any thread may call.
 */
public final class AckQueue {
  /**
   * One acknowledgement waiting for its decision (the reason code, or {@link ReasonCodes#CLOSE}).
   * The decision is set once, from whichever thread learnt it; the event loop reads it.
   */
  public static final class PendingAck {
    private static final int UNDECIDED = Integer.MIN_VALUE;

    private final int packetId;
    private final int qos;
    private volatile int decision = UNDECIDED;

    private PendingAck(int packetId, int qos) {
      this.packetId = packetId;
      this.qos = qos;
    }

    /** Sets the decision (any thread); the connection then drains its queue on its event loop. */
    public void decide(int reasonOrClose) {
      decision = reasonOrClose;
    }

    boolean decided() {
      return decision != UNDECIDED;
    }
  }

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

  /**
   * Queues the acknowledgement of a publish; its decision is set later with {@link
   * PendingAck#decide}.
   */
  public PendingAck add(int packetId, int qos) {
    PendingAck ack = new PendingAck(packetId, qos);
    pending.add(ack);
    return ack;
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
    while (!pending.isEmpty() && pending.peek().decided()) {
      PendingAck ack = pending.poll();
      int decision = ack.decision;
      if (decision == ReasonCodes.CLOSE) {
        return false;
      }
      if (ack.qos == 1) {
        ctx.write(Packets.pubAck(ack.packetId, decision));
        completed();
      } else {
        ctx.write(Packets.pubRec(ack.packetId, decision));
        if (decision >= ReasonCodes.UNSPECIFIED_ERROR) {
          completed(); // an error PUBREC ends the flow
        }
      }
    }
    return true;
  }
}
