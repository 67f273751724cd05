package io.inlet.cdc.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkRowTest {
  private static HStreamRecord json(String text) {
    return HStreamRecords.json("k", HStreamRecords.structFromJson(text), Map.of());
  }

  @Test
  void a_change_record_upserts_its_value_by_its_key_and_its_source_is_not_needed() {
    SinkRow row =
        SinkRow.of(
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
    SinkRow row = SinkRow.of(json("{\"key\": {\"id\": 2}, \"value\": null}"), List.of());
    assertThat(row.delete()).isTrue();
    assertThat(row.columns()).containsExactly(Map.entry("id", 2L));
  }

  @Test
  void a_plain_object_is_upserted_by_the_table_key_and_bad_ones_are_poison() {
    SinkRow row = SinkRow.of(json("{\"id\": 3, \"v\": 1.5}"), List.of("id"));
    assertThat(row.delete()).isFalse();
    assertThat(row.columns()).containsEntry("id", 3L).containsEntry("v", 1.5);
    assertThatThrownBy(
            () -> SinkRow.of(json("{\"key\": {\"id\": 1}, \"value\": 5}"), List.of("id")))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("neither an object nor null");
    assertThatThrownBy(() -> SinkRow.of(json("{\"v\": 1}"), List.of("id")))
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
      SinkRow fromWire = SinkRow.of(record, List.of());
      SinkRow fromMessage =
          SinkRow.of(com.google.protobuf.Struct.parseFrom(record.getPayload()), List.of());
      assertThat(fromWire).as(text).isEqualTo(fromMessage);
      assertThat(List.copyOf(fromWire.columns().keySet()))
          .as(text)
          .isEqualTo(List.copyOf(fromMessage.columns().keySet()));
    }
  }

  @Test
  void a_change_whose_value_is_a_scalar_or_whose_key_is_empty_is_poison() {
    assertThatThrownBy(() -> SinkRow.of(json("{\"key\": {}, \"value\": {\"a\": 1}}"), List.of()))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("key has no columns");
    assertThatThrownBy(
            () -> SinkRow.of(json("{\"key\": {\"id\": 1}, \"value\": \"x\"}"), List.of()))
        .isInstanceOf(PoisonRecordException.class)
        .hasMessageContaining("neither an object nor null");
  }
}
