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
}
