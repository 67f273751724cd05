package io.inlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NodeInfoCodecTest {
  private final NodeInfoCodec codec = new NodeInfoCodec();

  @Test
  void round_trips_every_field() {
    NodeInfo info = new NodeInfo(7, "10.1.2.3", 6570, 0, "0.1.0", NodeState.UNAVAILABLE, 6573);
    assertThat(codec.deserialize(codec.serialize(info))).isEqualTo(info);
  }

  @Test
  void reads_format_1_written_before_the_replication_port_as_port_0() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeInt(4);
      out.writeUTF("10.0.0.4");
      out.writeShort(6570);
      out.writeShort(1883);
      out.writeUTF("0.1.0");
      out.writeByte(NodeState.RUNNING.number());
    }
    assertThat(codec.deserialize(ByteBuffer.wrap(bytes.toByteArray())))
        .isEqualTo(new NodeInfo(4, "10.0.0.4", 6570, 1883, "0.1.0", NodeState.RUNNING, 0));
  }

  @Test
  void refuses_another_format_and_truncated_bytes_with_a_reason() {
    assertThatThrownBy(() -> codec.deserialize(ByteBuffer.wrap(new byte[] {9, 0, 0})))
        .hasMessageContaining("format 9");
    ByteBuffer whole = codec.serialize(new NodeInfo(1, "h", 1, 2, "v", NodeState.RUNNING));
    ByteBuffer cut = ByteBuffer.wrap(whole.array(), 0, whole.remaining() - 3);
    assertThatThrownBy(() -> codec.deserialize(cut)).hasMessageContaining("truncated");
  }
}
