package io.inlet.cdc.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Value;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class StructBytesTest {
  private static final Schema INNER =
      SchemaBuilder.struct()
          .field("n", Schema.INT64_SCHEMA)
          .field("s", Schema.OPTIONAL_STRING_SCHEMA)
          .optional()
          .build();
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("id", Schema.INT32_SCHEMA)
          .field("price", Decimal.builder(2).optional().build())
          .field("raw", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("nothing", Schema.OPTIONAL_STRING_SCHEMA)
          .field("inner", INNER)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
          .field(
              "attrs",
              SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA).optional().build())
          .field("day", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
          .build();

  @Test
  void written_bytes_parse_to_the_value_connect_values_builds() throws Exception {
    Struct row =
        new Struct(ROW)
            .put("id", 7)
            .put("price", new BigDecimal("12.50"))
            .put("raw", new byte[] {1, 2, 3})
            .put("flag", true)
            .put("inner", new Struct(INNER).put("n", 5L).put("s", "x\"y"))
            .put("tags", List.of("a", "b"))
            .put("attrs", Map.of("t", 21.5))
            .put("day", 19_000);

    Value written = Value.parseFrom(StructBytes.value(ROW, row));

    assertThat(written).isEqualTo(ConnectValues.value(ROW, row));
    assertThat(written.getStructValue().getFieldsOrThrow("price").getStringValue())
        .isEqualTo("12.50");
    assertThat(
            written
                .getStructValue()
                .getFieldsOrThrow("inner")
                .getStructValue()
                .getFieldsOrThrow("n")
                .getNumberValue())
        .isEqualTo(5.0);
  }

  @Test
  void an_empty_struct_and_an_empty_list_are_written_too() throws Exception {
    Schema schema =
        SchemaBuilder.struct()
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .build();
    Struct row = new Struct(schema).put("tags", List.of());
    assertThat(Value.parseFrom(StructBytes.value(schema, row)))
        .isEqualTo(ConnectValues.value(schema, row));
    Schema none = SchemaBuilder.struct().build();
    assertThat(Value.parseFrom(StructBytes.value(none, new Struct(none))))
        .isEqualTo(ConnectValues.value(none, new Struct(none)));
  }

  @Test
  void scalars_written_directly_are_the_values_connect_values_builds() throws Exception {
    Schema schema =
        SchemaBuilder.struct()
            .field("zero", Schema.FLOAT64_SCHEMA)
            .field("negative", Schema.INT64_SCHEMA)
            .field("big", Schema.INT64_SCHEMA)
            .field("small", Schema.INT16_SCHEMA)
            .field("off", Schema.BOOLEAN_SCHEMA)
            .field("empty", Schema.STRING_SCHEMA)
            .field("text", Schema.STRING_SCHEMA)
            .field("gone", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("\u00e9t\u00e9", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct row =
        new Struct(schema)
            .put("zero", -0.0)
            .put("negative", -42L)
            .put("big", Long.MAX_VALUE)
            .put("small", (short) 3)
            .put("off", false)
            .put("empty", "")
            .put("text", "h\u00e9llo \u2603 \ud83d\ude00")
            .put("\u00e9t\u00e9", "caf\u00e9");

    for (int round = 0; round < 2; round++) { // the second round reads the cached field names
      ByteString written = StructBytes.value(schema, row);
      assertThat(Value.parseFrom(written)).isEqualTo(ConnectValues.value(schema, row));
      assertThat(written).isEqualTo(ConnectValues.value(schema, row).toByteString());
    }
  }
}
