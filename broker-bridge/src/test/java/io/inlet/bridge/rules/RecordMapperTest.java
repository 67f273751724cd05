package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader.Flag;
import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.api.topic.TopicLevels;
import io.inlet.bridge.rules.RecordMapper.Mapped;
import io.inlet.bridge.rules.RecordMapper.Mapping;
import io.inlet.bridge.rules.RecordMapper.Refused;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordMapperTest {
  private static final MappingRule RAW =
      MappingRule.builder("raw").topic("#").stream("s").key("${topic.2}").build();
  private static final MappingRule JSON_REJECT =
      RAW.toBuilder().payload(PayloadMode.JSON).nonJson(NonJsonPolicy.REJECT).build();
  private static final MappingRule JSON_OR_RAW =
      RAW.toBuilder().payload(PayloadMode.JSON).nonJson(NonJsonPolicy.RAW).build();

  private static Mapping map(MappingRule rule, InboundMessage message) {
    return RecordMapper.map(rule, message, TopicLevels.split(message.topic()));
  }

  private static HStreamRecord record(Mapping mapping) {
    assertThat(mapping).isInstanceOf(Mapped.class);
    return ((Mapped) mapping).record();
  }

  @Test
  void raw_mode_keeps_the_payload_bytes_and_uses_the_key_template() {
    byte[] payload = {0, 1, (byte) 0xFF, '{'};
    Mapping mapping = map(RAW, Messages.publish("site/dev-4/x", payload));
    HStreamRecord record = record(mapping);
    assertThat(((Mapped) mapping).key()).isEqualTo("dev-4");
    assertThat(record.getHeader().getKey()).isEqualTo("dev-4");
    assertThat(record.getHeader().getFlag()).isEqualTo(Flag.RAW);
    assertThat(record.getPayload().toByteArray()).isEqualTo(payload);
  }

  @ParameterizedTest
  @ValueSource(strings = {"raw", "json"})
  void the_batch_appended_holds_exactly_the_mapped_record(String mode) {
    MappingRule rule = mode.equals("raw") ? RAW : JSON_REJECT;
    Mapped mapped =
        (Mapped)
            map(
                rule,
                Messages.withProperties(
                    "site/dev-4/x",
                    "{\"t\": 1}",
                    List.of(Map.entry("unit", "C"), Map.entry("unit", "F"))));
    BatchedRecord batch = mapped.batch();
    assertThat(batch.getBatchSize()).isEqualTo(1);
    assertThat(RecordBatches.decode(batch)).containsExactly(mapped.record());
    assertThat(mapped.record().getHeader().getAttributesMap())
        .containsEntry("mqtt.topic", "site/dev-4/x")
        .containsEntry("mqtt.user.unit", "C")
        .containsEntry("mqtt.user.unit[2]", "F");
  }

  @Test
  void json_mode_stores_an_object_as_a_struct_json_record() throws Exception {
    HStreamRecord record =
        record(
            map(
                JSON_REJECT,
                Messages.publish("a/b", " {\"t\": 21.5, \"on\": true, \"tags\": [\"x\"]}")));
    assertThat(record.getHeader().getFlag()).isEqualTo(Flag.JSON);
    Struct struct = Struct.parseFrom(record.getPayload());
    assertThat(struct.getFieldsMap().get("t").getNumberValue()).isEqualTo(21.5);
    assertThat(struct.getFieldsMap().get("on").getBoolValue()).isTrue();
    assertThat(HStreamRecords.payloadAsText(record))
        .isEqualTo("{\"t\":21.5,\"on\":true,\"tags\":[\"x\"]}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[1,2]",
        "42",
        "\"text\"",
        "null",
        "",
        "   ",
        "{\"unclosed\": 1",
        "hello",
        "{a:1}",
        "{'a':1}",
        "{\"a\":1} trailing",
        "{\"a\":1}{}",
        "{\"a\":NaN}",
        "{\"a\":1,}",
        "{} // c"
      })
  void json_mode_rejects_what_is_not_a_json_object_when_the_rule_says_reject(String payload) {
    Mapping mapping = map(JSON_REJECT, Messages.publish("a/b", payload));
    assertThat(mapping).isInstanceOf(Refused.class);
    assertThat(((Refused) mapping).reason()).startsWith("rule \"raw\" stores JSON objects only");
  }

  @Test
  void json_mode_keeps_nested_values_nulls_and_the_last_of_repeated_names() {
    HStreamRecord record =
        record(
            map(
                JSON_REJECT,
                Messages.publish("a/b", "{\"a\":{\"b\":[1,null,\"x\"]},\"d\":1,\"d\":2}")));
    assertThat(HStreamRecords.payloadAsText(record))
        .isEqualTo("{\"a\":{\"b\":[1.0,null,\"x\"]},\"d\":2.0}");
  }

  @Test
  void json_mode_rejects_invalid_utf8() {
    Mapping mapping = map(JSON_REJECT, Messages.publish("a/b", new byte[] {'{', (byte) 0xC3, '}'}));
    assertThat(((Refused) mapping).reason()).contains("not valid UTF-8");
  }

  @Test
  void json_mode_keeps_non_objects_raw_when_the_rule_says_raw() {
    HStreamRecord record = record(map(JSON_OR_RAW, Messages.publish("a/b", "[1,2]")));
    assertThat(record.getHeader().getFlag()).isEqualTo(Flag.RAW);
    assertThat(record.getPayload().toStringUtf8()).isEqualTo("[1,2]");
  }

  @Test
  void records_carry_the_mqtt_attributes() {
    HStreamRecord record = record(map(RAW, Messages.publish("a/b", "x")));
    assertThat(record.getHeader().getAttributesMap())
        .containsEntry("mqtt.topic", "a/b")
        .containsEntry("mqtt.qos", "1")
        .containsEntry("mqtt.clientId", "dev-1");
  }
}
