package io.inlet.sql.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
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

  /** An HRecord whose payload is written by hand: the Struct's map entries as given. */
  private static HStreamRecord hrecord(ByteString payload) {
    return HStreamRecord.newBuilder()
        .setHeader(HStreamRecordHeader.newBuilder().setFlag(HStreamRecordHeader.Flag.JSON))
        .setPayload(payload)
        .build();
  }

  private static ByteString entry(boolean valueFirst, String key, Value value) throws Exception {
    ByteString.Output bytes = ByteString.newOutput();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (valueFirst) {
      out.writeMessage(2, value);
      out.writeString(1, key);
    } else {
      out.writeString(1, key);
      out.writeMessage(2, value);
    }
    out.flush();
    ByteString e = bytes.toByteString();
    ByteString.Output wrapped = ByteString.newOutput();
    CodedOutputStream w = CodedOutputStream.newInstance(wrapped);
    w.writeBytes(1, e);
    w.flush();
    return wrapped.toByteString();
  }

  @Test
  void an_hrecord_gives_the_row_its_struct_gives_also_for_unusual_encodings() throws Exception {
    JsonRows rows = new JsonRows(NAMES, TYPES, "ts");
    Value nested =
        Value.newBuilder()
            .setStructValue(
                Struct.newBuilder()
                    .putFields(
                        "k",
                        Value.newBuilder()
                            .setListValue(
                                ListValue.newBuilder()
                                    .addValues(Value.newBuilder().setNumberValue(1))
                                    .addValues(Value.newBuilder().setNumberValue(2)))
                            .build()))
            .build();
    ByteString payload =
        entry(false, "n", Value.newBuilder().setNumberValue(1).build())
            .concat(entry(false, "n", Value.newBuilder().setNumberValue(7).build())) // last wins
            .concat(entry(true, "x", Value.newBuilder().setNumberValue(1.5).build())) // value first
            .concat(entry(false, "unused", Value.newBuilder().setStringValue("skip me").build()))
            .concat(entry(false, "s", Value.newBuilder().setStringValue("hi").build()))
            .concat(entry(false, "b", Value.newBuilder().setBoolValue(true).build()))
            .concat(entry(false, "obj", nested))
            .concat(entry(false, "ts", Value.newBuilder().setStringValue("1000").build()));
    RowData direct = rows.toRow(hrecord(payload), 5);
    RowData viaStruct = rows.toRow(JsonRows.fromStruct(Struct.parseFrom(payload)), 5);
    for (RowData row : List.of(direct, viaStruct)) {
      assertThat(row.getLong(0)).isEqualTo(7);
      assertThat(row.getDouble(1)).isEqualTo(1.5);
      assertThat(row.getString(2).toString()).isEqualTo("hi");
      assertThat(row.getBoolean(3)).isTrue();
      assertThat(row.getString(4).toString()).isEqualTo("{\"k\":[1,2]}");
      assertThat(row.getTimestamp(5, 3).getMillisecond()).isEqualTo(1000);
    }
  }

  @Test
  void an_hrecord_whose_payload_is_not_a_struct_is_no_row_and_an_empty_one_is_all_nulls() {
    JsonRows rows = new JsonRows(NAMES, TYPES, "ts");
    assertThat(rows.toRow(hrecord(ByteString.copyFrom(new byte[] {10, 50, 1})), 0)).isNull();
    RowData empty = rows.toRow(hrecord(ByteString.EMPTY), 9);
    assertThat(empty.isNullAt(0)).isTrue();
    assertThat(empty.getTimestamp(5, 3).getMillisecond()).isEqualTo(9);
  }
}
