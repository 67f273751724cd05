package io.inlet.cdc.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkRowTest {
  private static HStreamRecord json(String text) {
    return HStreamRecords.json("k", HStreamRecords.structFromJson(text), Map.of());
  }

  private static SinkRow decode(HStreamRecord record, List<String> tableKeys) {
    return new SinkRowDecoder(tableKeys).decode(record);
  }

  @Test
  void a_change_record_upserts_its_value_by_its_key_and_its_source_is_not_needed() {
    SinkRow row =
        decode(
            json(
                "{\"source\": {\"db\": \"shop\", \"pos\": 12}, \"key\": {\"id\": 7},"
                    + " \"value\": {\"id\": 7, \"item\": \"fig\", \"price\": \"1.50\"},"
                    + " \"op\": \"c\"}"),
            List.of());
    assertThat(row.delete()).isFalse();
    assertThat(row.keyColumns()).containsExactly("id");
    assertThat(row.columns()).containsEntry("id", 7L).containsEntry("item", "fig");
    assertThat(row.columns()).containsEntry("price", "1.50").doesNotContainKey("source");
  }

  @Test
  void a_null_value_deletes_by_key() {
    SinkRow row = decode(json("{\"key\": {\"id\": 2}, \"value\": null}"), List.of());
    assertThat(row.delete()).isTrue();
    assertThat(row.columns()).containsExactly(Map.entry("id", 2L));
  }

  @Test
  void a_plain_object_is_upserted_by_the_table_key_and_bad_ones_are_poison() {
    SinkRow row = decode(json("{\"id\": 3, \"v\": 1.5}"), List.of("id"));
    assertThat(row.delete()).isFalse();
    assertThat(row.columns()).containsEntry("id", 3L).containsEntry("v", 1.5);
    assertThatThrownBy(() -> decode(json("{\"key\": {\"id\": 1}, \"value\": 5}"), List.of("id")))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("neither an object nor null");
    assertThatThrownBy(() -> decode(json("{\"v\": 1}"), List.of("id")))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("key column \"id\"");
  }

  @Test
  void reading_the_wire_form_gives_the_row_the_parsed_message_gives() throws Exception {
    for (String text :
        List.of(
            "{\"key\": {\"id\": 7}, \"value\": {\"id\": 7, \"v\": 1.5, \"whole\": 3.0,"
                + " \"big\": 12345678901234567890, \"neg\": -4, \"ok\": true, \"no\": false,"
                + " \"none\": null, \"s\": \"h\u00e9llo \u2603\", \"empty\": \"\","
                + " \"obj\": {\"a\": [1, \"x\", null]}, \"list\": [true, {\"b\": 2}]},"
                + " \"source\": {\"pos\": 9}, \"op\": \"u\"}",
            "{\"key\": {\"a\": \"x\", \"b\": 2}, \"value\": null}",
            "{\"value\": {\"id\": 1}, \"key\": {\"id\": 1, \"id2\": 0}}")) {
      HStreamRecord record = json(text);
      SinkRow fromWire = decode(record, List.of());
      SinkRow fromMessage =
          new SinkRowDecoder(List.of()).decode(Struct.parseFrom(record.getPayload()));
      assertThat(fromWire).as(text).isEqualTo(fromMessage);
      assertThat(List.copyOf(fromWire.columns().keySet()))
          .as(text)
          .isEqualTo(List.copyOf(fromMessage.columns().keySet()));
    }
  }

  @Test
  void a_change_whose_value_is_a_scalar_or_whose_key_is_empty_is_poison() {
    assertThatThrownBy(() -> decode(json("{\"key\": {}, \"value\": {\"a\": 1}}"), List.of()))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("key has no columns");
    assertThatThrownBy(() -> decode(json("{\"key\": {\"id\": 1}, \"value\": \"x\"}"), List.of()))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("neither an object nor null");
  }

  @Test
  void consecutive_rows_with_the_same_fields_share_one_shape_and_others_get_their_own() {
    SinkRowDecoder decoder = new SinkRowDecoder(List.of());
    SinkRow first =
        decoder.decode(json("{\"key\": {\"id\": 1}, \"value\": {\"id\": 1, \"v\": 2}}"));
    SinkRow second =
        decoder.decode(json("{\"key\": {\"id\": 2}, \"value\": {\"id\": 2, \"v\": 3}}"));
    SinkRow delete = decoder.decode(json("{\"key\": {\"id\": 2}, \"value\": null}"));
    SinkRow wider =
        decoder.decode(json("{\"key\": {\"id\": 3}, \"value\": {\"id\": 3, \"v\": 4, \"w\": 5}}"));
    SinkRow again =
        decoder.decode(json("{\"key\": {\"id\": 4}, \"value\": {\"id\": 4, \"v\": 5}}"));

    assertThat(second.shape()).isSameAs(first.shape());
    assertThat(second.columns()).containsExactly(Map.entry("id", 2L), Map.entry("v", 3L));
    assertThat(delete.shape()).isNotEqualTo(first.shape());
    assertThat(delete.shape().parameters()).containsExactly("id");
    assertThat(wider.shape().parameters()).containsExactly("id", "v", "w");
    assertThat(again.shape()).isEqualTo(first.shape());
    assertThat(again.columns()).containsExactly(Map.entry("id", 4L), Map.entry("v", 5L));
  }

  @Test
  void a_repeated_field_keeps_its_first_place_and_its_last_value_and_the_key_wins()
      throws Exception {
    ByteString value =
        Struct.newBuilder()
            .putFields("a", number(1))
            .putFields("b", number(2))
            .build()
            .toByteString()
            .concat(Struct.newBuilder().putFields("a", number(3)).build().toByteString());
    ByteString key =
        Struct.newBuilder()
            .putFields("b", number(9))
            .putFields("k", number(7))
            .build()
            .toByteString();
    ByteString payload = entry("key", structValue(key)).concat(entry("value", structValue(value)));
    HStreamRecord record = json("{}").toBuilder().setPayload(payload).build();

    SinkRow fromWire = decode(record, List.of());
    SinkRow fromMessage = new SinkRowDecoder(List.of()).decode(Struct.parseFrom(payload));

    assertThat(fromWire.columns())
        .containsExactly(Map.entry("a", 3L), Map.entry("b", 9L), Map.entry("k", 7L));
    assertThat(fromWire.keyColumns()).containsExactly("b", "k");
    assertThat(fromWire).isEqualTo(fromMessage);
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  /** A serialized Value holding the serialized Struct {@code struct}, as it is on the wire. */
  private static ByteString structValue(ByteString struct) throws Exception {
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeBytes(Value.STRUCT_VALUE_FIELD_NUMBER, struct);
    coded.flush();
    return out.toByteString();
  }

  /** One serialized entry of a Struct's fields map: {@code name} and its serialized Value. */
  private static ByteString entry(String name, ByteString value) throws Exception {
    ByteString.Output entry = ByteString.newOutput();
    CodedOutputStream coded = CodedOutputStream.newInstance(entry);
    coded.writeString(1, name);
    coded.writeBytes(2, value);
    coded.flush();
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream field = CodedOutputStream.newInstance(out);
    field.writeBytes(Struct.FIELDS_FIELD_NUMBER, entry.toByteString());
    field.flush();
    return out.toByteString();
  }
}
