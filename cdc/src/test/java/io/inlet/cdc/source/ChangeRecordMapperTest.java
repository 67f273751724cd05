package io.inlet.cdc.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.inlet.cdc.config.ConfigValidator;
import io.inlet.cdc.config.ConnectorSpec;
import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Change events shaped as Debezium's SQL Server connector emits them (no live server here). */
class ChangeRecordMapperTest {
  private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("price", Decimal.builder(2).optional().build())
          .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
          .field(
              "at", SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").optional().build())
          .optional()
          .build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .field("connector", Schema.STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("change_lsn", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private static SourceRecord event(String op, org.apache.kafka.connect.data.Struct after) {
    var source =
        new org.apache.kafka.connect.data.Struct(SOURCE)
            .put("connector", "sqlserver")
            .put("db", "shop")
            .put("table", "orders")
            .put("change_lsn", "00000025:00000d50:0002")
            .put("ts_ms", 1714557600000L);
    var envelope =
        new org.apache.kafka.connect.data.Struct(ENVELOPE)
            .put("after", after)
            .put("source", source)
            .put("op", op)
            .put("ts_ms", 1714557600123L);
    return new SourceRecord(
        Map.of("server", "x"),
        Map.of("lsn", 1),
        "x.shop.orders",
        KEY,
        new org.apache.kafka.connect.data.Struct(KEY).put("id", 7),
        ENVELOPE,
        envelope);
  }

  @Test
  void an_update_becomes_a_keyed_record_with_the_after_image_op_and_source() throws Exception {
    var after =
        new org.apache.kafka.connect.data.Struct(ROW)
            .put("id", 7)
            .put("name", "plum")
            .put("price", new BigDecimal("0.99"))
            .put("born", 19844)
            .put("at", 1714557600123456789L);
    ChangeRecordMapper.Change change = ChangeRecordMapper.map(event("u", after));
    assertThat(change.partitionKey()).isEqualTo("7");
    assertThat(change.sourceTimeMs()).isEqualTo(1714557600000L);
    Struct record = Struct.parseFrom(change.record().getPayload());
    assertThat(record.getFieldsOrThrow("op").getStringValue()).isEqualTo("u");
    assertThat(
            record.getFieldsOrThrow("key").getStructValue().getFieldsOrThrow("id").getNumberValue())
        .isEqualTo(7);
    Struct value = record.getFieldsOrThrow("value").getStructValue();
    assertThat(value.getFieldsOrThrow("price").getStringValue()).isEqualTo("0.99");
    assertThat(value.getFieldsOrThrow("born").getStringValue()).isEqualTo("2024-05-01");
    assertThat(value.getFieldsOrThrow("at").getStringValue())
        .isEqualTo("2024-05-01 10:00:00.123456");
    assertThat(
            record
                .getFieldsOrThrow("source")
                .getStructValue()
                .getFieldsOrThrow("change_lsn")
                .getStringValue())
        .isEqualTo("00000025:00000d50:0002");
  }

  @Test
  void a_delete_has_a_null_value_and_other_events_are_skipped() throws Exception {
    Struct record =
        Struct.parseFrom(ChangeRecordMapper.map(event("d", null)).record().getPayload());
    assertThat(record.getFieldsOrThrow("value").hasNullValue()).isTrue();
    assertThat(
            ChangeRecordMapper.map(new SourceRecord(Map.of(), Map.of(), "heartbeat", null, null)))
        .isNull();
  }

  @Test
  void sqlserver_keys_become_debezium_properties() {
    Map<String, String> given =
        Map.of(
            "stream",
            "s",
            "host",
            "db",
            "user",
            "sa",
            "password",
            "p",
            "database",
            "shop",
            "table",
            "orders,sales.items");
    Properties props =
        DebeziumProperties.connector(
            "shop-cdc",
            ConfigValidator.validate(
                ConnectorSpec.of(ConnectorType.SOURCE, Target.SQLSERVER), given));
    assertThat(props)
        .containsEntry("connector.class", "io.debezium.connector.sqlserver.SqlServerConnector")
        .containsEntry("database.names", "shop")
        .containsEntry("table.include.list", "dbo.orders,sales.items")
        .containsEntry("database.hostname", "db")
        .containsEntry("database.port", "1433")
        .containsEntry("topic.prefix", "shop-cdc")
        .containsEntry("database.encrypt", "false")
        .doesNotContainKey("stream");
  }
}
