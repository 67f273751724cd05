package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void unknown_formats_and_corrupt_bytes_are_named() {
    assertThatThrownBy(() -> RuleCodec.decode(new byte[] {9, 1}))
        .hasMessageContaining("unknown format 9");
    assertThatThrownBy(() -> RuleCodec.decode(new byte[] {1, (byte) 0xFF, 0x7F}))
        .hasMessageContaining("corrupt");
  }
}
