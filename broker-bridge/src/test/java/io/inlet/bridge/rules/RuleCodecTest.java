package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RuleCodecTest {

  @Test
  void a_rule_survives_encoding() {
    MappingRule rule =
        MappingRule.builder("r").topic("a/+/b/#").stream("s")
            .key("k-${topic.2}")
            .payload(PayloadMode.JSON)
            .nonJson(NonJsonPolicy.RAW)
            .autoCreateStream(false)
            .shards(3)
            .position(7)
            .build();
    RuleEntry entry = new RuleEntry(rule, RuleSource.RUNTIME, 42, Instant.ofEpochMilli(1234567));
    assertThat(RuleCodec.decode(RuleCodec.encode(entry))).isEqualTo(entry);
  }

  @Test
  void missing_fields_take_the_config_defaults_and_unknown_ones_are_ignored() {
    Struct.Builder s = Struct.newBuilder();
    s.putFields("name", Value.newBuilder().setStringValue("r").build());
    s.putFields("topic", Value.newBuilder().setStringValue("a/#").build());
    s.putFields("stream", Value.newBuilder().setStringValue("s").build());
    s.putFields("from-the-future", Value.newBuilder().setBoolValue(true).build());
    byte[] body = s.build().toByteArray();
    byte[] value = new byte[body.length + 1];
    value[0] = 1;
    System.arraycopy(body, 0, value, 1, body.length);

    RuleEntry entry = RuleCodec.decode(value);

    assertThat(entry.rule()).isEqualTo(MappingRule.builder("r").topic("a/#").stream("s").build());
    assertThat(entry.sequence()).isZero();
    assertThat(entry.createdAt()).isNull();
  }

  @Test
  void a_stored_rule_that_no_longer_validates_is_named() {
    Struct.Builder s = Struct.newBuilder();
    s.putFields("name", Value.newBuilder().setStringValue("r").build());
    s.putFields("topic", Value.newBuilder().setStringValue("a/#/b").build());
    s.putFields("stream", Value.newBuilder().setStringValue("s").build());
    byte[] body = s.build().toByteArray();
    byte[] value = new byte[body.length + 1];
    value[0] = 1;
    System.arraycopy(body, 0, value, 1, body.length);

    assertThatThrownBy(() -> RuleCodec.decode(value))
        .hasMessageContaining("stored rule is no longer valid")
        .hasMessageContaining("'#' must be the last level");
  }

  @Test
  void unknown_formats_and_corrupt_bytes_are_named() {
    assertThatThrownBy(() -> RuleCodec.decode(new byte[] {9, 1}))
        .hasMessageContaining("unknown format 9");
    assertThatThrownBy(() -> RuleCodec.decode(new byte[] {1, (byte) 0xFF, 0x7F}))
        .hasMessageContaining("corrupt");
  }
}
