package io.inlet.cdc.source;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Kafka Connect values (as Debezium produces them) as JSON values of a record's {@link Struct}.
 * Debezium's temporal types become text a database parses back ({@code 2024-05-01}, {@code
 * 2024-05-01 12:30:00.123456}, {@code 12:30:00.5}); decimals become exact strings; bytes become
 * base64; other numbers become JSON numbers.
 */
final class ConnectValues {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private ConnectValues() {}

  static Struct struct(org.apache.kafka.connect.data.Struct value) {
    Struct.Builder out = Struct.newBuilder();
    for (Field field : value.schema().fields()) {
      out.putFields(field.name(), value(field.schema(), value.get(field)));
    }
    return out.build();
  }

  static Value value(Schema schema, Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    String logical = schema == null ? null : schema.name();
    if (logical != null) {
      Value special = logicalValue(logical, value);
      if (special != null) {
        return special;
      }
    }
    if (value instanceof org.apache.kafka.connect.data.Struct struct) {
      return Value.newBuilder().setStructValue(struct(struct)).build();
    }
    if (value instanceof Number number) {
      return number(number);
    }
    if (value instanceof Boolean bool) {
      return Value.newBuilder().setBoolValue(bool).build();
    }
    if (value instanceof CharSequence text) {
      return text(text.toString());
    }
    if (value instanceof byte[] bytes) {
      return text(Base64.getEncoder().encodeToString(bytes));
    }
    if (value instanceof ByteBuffer buffer) {
      ByteBuffer copy = buffer.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return text(Base64.getEncoder().encodeToString(bytes));
    }
    if (value instanceof List<?> list) {
      ListValue.Builder items = ListValue.newBuilder();
      Schema itemSchema = schema == null ? null : schema.valueSchema();
      for (Object item : list) {
        items.addValues(value(itemSchema, item));
      }
      return Value.newBuilder().setListValue(items).build();
    }
    if (value instanceof Map<?, ?> map) {
      Struct.Builder entries = Struct.newBuilder();
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      map.forEach((k, v) -> entries.putFields(String.valueOf(k), value(valueSchema, v)));
      return Value.newBuilder().setStructValue(entries).build();
    }
    if (value instanceof Date date) {
      return text(DATE_TIME.format(date.toInstant()));
    }
    return text(value.toString());
  }

  private static Value logicalValue(String logical, Object value) {
    switch (logical) {
      case "io.debezium.time.Date":
        return text(LocalDate.ofEpochDay(((Number) value).longValue()).toString());
      case "org.apache.kafka.connect.data.Date":
        return text(LocalDate.ofInstant(((Date) value).toInstant(), ZoneOffset.UTC).toString());
      case "io.debezium.time.Timestamp":
        return text(DATE_TIME.format(Instant.ofEpochMilli(((Number) value).longValue())));
      case "io.debezium.time.MicroTimestamp":
        return text(DATE_TIME.format(micros(((Number) value).longValue())));
      case "io.debezium.time.NanoTimestamp":
        long nanos = ((Number) value).longValue();
        return text(
            DATE_TIME.format(
                Instant.ofEpochSecond(
                    Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))));
      case "io.debezium.time.Time":
        return text(LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString());
      case "io.debezium.time.MicroTime":
        return text(LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L).toString());
      case "io.debezium.time.NanoTime":
        return text(LocalTime.ofNanoOfDay(((Number) value).longValue()).toString());
      case "org.apache.kafka.connect.data.Decimal":
        return text(((BigDecimal) value).toPlainString());
      default:
        return null;
    }
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static Value number(Number number) {
    if (number instanceof BigDecimal decimal) {
      return text(decimal.toPlainString());
    }
    return Value.newBuilder().setNumberValue(number.doubleValue()).build();
  }

  private static Value text(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }
}
