package io.inlet.sql.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.record.HStreamRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

class JsonRowsTest {
  private static final List<String> NAMES = List.of("n", "x", "s", "b", "obj", "__event_time");
  private static final List<LogicalType> TYPES =
      List.of(
          new BigIntType(),
          new DoubleType(),
          new VarCharType(VarCharType.MAX_LENGTH),
          new BooleanType(),
          new VarCharType(VarCharType.MAX_LENGTH),
          new LocalZonedTimestampType(3));

  private static HStreamRecord raw(String json) {
    return HStreamRecord.newBuilder()
        .setHeader(HStreamRecordHeader.newBuilder().setFlag(HStreamRecordHeader.Flag.RAW))
        .setPayload(ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void raw_json_objects_and_hrecords_become_the_same_row() {
    String json =
        "{\"n\": 7, \"x\": 1.5, \"s\": \"hi\", \"b\": true, \"obj\": {\"k\": [1, 2]}, \"ts\": 1000}";
    JsonRows rows = new JsonRows(NAMES, TYPES, "ts");
    RowData fromRaw = rows.toRow(raw(json), 5);
    RowData fromStruct =
        rows.toRow(HStreamRecords.json("", HStreamRecords.structFromJson(json), Map.of()), 5);
    for (RowData row : List.of(fromRaw, fromStruct)) {
      assertThat(row.getLong(0)).isEqualTo(7);
      assertThat(row.getDouble(1)).isEqualTo(1.5);
      assertThat(row.getString(2).toString()).isEqualTo("hi");
      assertThat(row.getBoolean(3)).isTrue();
      assertThat(row.getString(4).toString()).isEqualTo("{\"k\":[1,2]}");
      assertThat(row.getTimestamp(5, 3).getMillisecond()).isEqualTo(1000);
    }
  }

  @Test
  void missing_or_unconvertible_fields_are_null_and_event_time_falls_back_to_the_append_time() {
    JsonRows rows = new JsonRows(NAMES, TYPES, "ts");
    RowData row = rows.toRow(raw("{\"n\": \"not a number\", \"ts\": \"2026-12-03T10:00:00Z\"}"), 5);
    assertThat(row.isNullAt(0)).isTrue();
    assertThat(row.isNullAt(2)).isTrue();
    assertThat(row.getTimestamp(5, 3).getMillisecond()).isEqualTo(1796292000000L);
    RowData noTime = rows.toRow(raw("{\"n\": 1}"), 42);
    assertThat(noTime.getTimestamp(5, 3).getMillisecond()).isEqualTo(42);
  }

  @Test
  void a_payload_that_is_not_a_json_object_is_no_row() {
    JsonRows rows = new JsonRows(NAMES, TYPES, null);
    assertThat(rows.toRow(raw("[1, 2]"), 0)).isNull();
    assertThat(rows.toRow(raw("not json"), 0)).isNull();
  }
}
