package io.inlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalecube.cluster.transport.api.JdkMessageCodec;
import io.scalecube.cluster.transport.api.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InvalidClassException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListMessageCodecTest {
  private final AllowListMessageCodec codec = new AllowListMessageCodec();

  @Test
  void reads_what_scalecube_writes() throws Exception {
    Message sent = Message.withData(new ArrayList<>(List.of("a", 1L))).qualifier("q").build();
    Message read = codec.deserialize(new ByteArrayInputStream(write(sent)));
    assertThat(read.qualifier()).isEqualTo("q");
    assertThat((Object) read.data()).isEqualTo(List.of("a", 1L));
  }

  @Test
  void refuses_a_class_outside_the_allow_list_that_the_jdk_codec_would_build() throws Exception {
    Message hostile = Message.withData(new File("/etc/passwd")).qualifier("q").build();
    byte[] bytes = write(hostile);
    assertThat((Object) new JdkMessageCodec().deserialize(new ByteArrayInputStream(bytes)).data())
        .isInstanceOf(File.class);
    assertThatThrownBy(() -> codec.deserialize(new ByteArrayInputStream(bytes)))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("REJECTED");
  }

  private byte[] write(Message message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.serialize(message, out);
    return out.toByteArray();
  }
}
