package io.inlet.sql.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

class RowStructsTest {
  @Test
  void date_times_and_times_keep_their_seconds_when_they_are_zero() {
    assertThat(RowStructs.text(LocalDateTime.of(2023, 11, 14, 22, 13)))
        .isEqualTo("2023-11-14T22:13:00");
    assertThat(RowStructs.text(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 5_000_000)))
        .isEqualTo("2023-11-14T22:13:20.005");
    assertThat(RowStructs.text(LocalTime.of(10, 0))).isEqualTo("10:00:00");
  }

  @Test
  void arrays_become_json_arrays_and_rows_json_objects() {
    LogicalType doubles = new ArrayType(new DoubleType());
    assertThat(
            RowStructs.value(new GenericArrayData(new Double[] {9.0, null, 5.0}), doubles)
                .getListValue()
                .getValuesList())
        .extracting(v -> v.hasNullValue() ? "null" : Double.toString(v.getNumberValue()))
        .containsExactly("9.0", "null", "5.0");
    LogicalType chunks = new ArrayType(new ArrayType(new VarCharType(VarCharType.MAX_LENGTH)));
    GenericArrayData nested =
        new GenericArrayData(
            new Object[] {
              new GenericArrayData(
                  new Object[] {StringData.fromString("a"), StringData.fromString("b")}),
              new GenericArrayData(new Object[] {StringData.fromString("c")})
            });
    assertThat(RowStructs.value(nested, chunks).getListValue().getValues(1).getListValue())
        .isEqualTo(
            ListValue.newBuilder().addValues(Value.newBuilder().setStringValue("c")).build());
    RowType point = RowType.of(new LogicalType[] {new IntType()}, new String[] {"x"});
    assertThat(
            RowStructs.value(GenericRowData.of(3), point)
                .getStructValue()
                .getFieldsOrThrow("x")
                .getNumberValue())
        .isEqualTo(3.0);
  }
}
