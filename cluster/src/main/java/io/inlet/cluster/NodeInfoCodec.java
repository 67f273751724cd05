package io.inlet.cluster;

import io.scalecube.cluster.metadata.MetadataCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@link NodeInfo} on the gossip wire, in a format of our own (a version byte, then the fields), so
 * that no member ever deserializes Java objects another member chose. Format 2 adds the replication
 * port after the state; format 1 (nodes before it) still decodes, with replication port 0.
 */
final class NodeInfoCodec implements MetadataCodec {
  private static final int FORMAT = 2;
  private static final int FORMAT_WITHOUT_REPLICATION = 1;

  @Override
  public ByteBuffer serialize(Object metadata) {
    if (metadata == null) {
      return null;
    }
    NodeInfo info = (NodeInfo) metadata;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(info.nodeId());
      out.writeUTF(info.advertisedHost());
      out.writeShort(info.grpcPort());
      out.writeShort(info.mqttPort());
      out.writeUTF(info.version());
      out.writeByte(info.state().number());
      out.writeShort(info.replicationPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  @Override
  public NodeInfo deserialize(ByteBuffer buffer) {
    if (buffer == null || !buffer.hasRemaining()) {
      return null;
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT && format != FORMAT_WITHOUT_REPLICATION) {
        throw new IllegalArgumentException(
            "node metadata in format " + format + "; this node reads formats 1 and " + FORMAT);
      }
      int nodeId = in.readInt();
      String host = in.readUTF();
      int grpcPort = in.readUnsignedShort();
      int mqttPort = in.readUnsignedShort();
      String version = in.readUTF();
      NodeState state = NodeState.ofNumber(in.readUnsignedByte());
      int replicationPort = format == FORMAT ? in.readUnsignedShort() : 0;
      return new NodeInfo(nodeId, host, grpcPort, mqttPort, version, state, replicationPort);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated node metadata", e);
    }
  }
}
