package io.inlet.sql.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Value;
import io.inlet.sql.flink.JsonRows;
import io.inlet.sql.flink.RowStructs;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * A stored view row (a JSON object, as the view's query wrote it) as evaluation values typed by the
 * view's columns, and result values as protobuf {@link Value}s written the way a push query's rows
 * are (numbers as numbers, a TIMESTAMP as ISO-8601 text with seconds, a TIMESTAMP_LTZ as an
 * instant). A cell that does not read as its column's type is NULL, as when Flink reads a record.
 */
final class ViewCells {
  private final String[] names;
  private final LogicalType[] types;

  ViewCells(List<String> names, List<LogicalType> types) {
    this.names = names.toArray(String[]::new);
    this.types = types.toArray(LogicalType[]::new);
  }

  Object[] decode(ObjectNode row) {
    Object[] out = new Object[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = cell(row.get(names[i]), types[i]);
    }
    return out;
  }

  static Object cell(JsonNode v, LogicalType type) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    try {
      return switch (type.getTypeRoot()) {
        case TINYINT, SMALLINT, INTEGER, BIGINT ->
            v.isNumber()
                ? Long.valueOf(v.asLong())
                : Long.valueOf((long) Double.parseDouble(v.asText()));
        case FLOAT, DOUBLE -> v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
        case DECIMAL -> v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
        case BOOLEAN -> v.isBoolean() ? v.asBoolean() : Boolean.parseBoolean(v.asText());
        case DATE -> LocalDate.parse(v.asText());
        case TIME_WITHOUT_TIME_ZONE -> LocalTime.parse(v.asText());
        case TIMESTAMP_WITHOUT_TIME_ZONE -> {
          Long ms = millis(v);
          yield ms == null
              ? null
              : LocalDateTime.ofEpochSecond(
                  Math.floorDiv(ms, 1000),
                  (int) Math.floorMod(ms, 1000) * 1_000_000,
                  ZoneOffset.UTC);
        }
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> {
          Long ms = millis(v);
          yield ms == null ? null : Instant.ofEpochMilli(ms);
        }
        default -> v.isTextual() ? v.asText() : v.toString();
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  private static Long millis(JsonNode v) {
    if (v.isNumber()) {
      return v.asLong();
    }
    String text = v.asText();
    if (text.length() >= 19
        && text.charAt(10) == 'T'
        && Character.isDigit(text.charAt(text.length() - 1))) {
      // The form a view's query writes (2026-12-03T10:00:00[.SSS]): read it without trying the
      // other forms first (each failed attempt costs an exception).
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e) {
        // one of the other forms
      }
    }
    return JsonRows.parseTime(text);
  }

  /** A result value as a protobuf Value. */
  static Value value(Object v) {
    Value.Builder out = Value.newBuilder();
    if (v == null) {
      return out.setNullValueValue(0).build();
    }
    if (v instanceof Number n) {
      return out.setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof Boolean b) {
      return out.setBoolValue(b).build();
    }
    if (v instanceof LocalDateTime t) {
      return out.setStringValue(RowStructs.text(t)).build();
    }
    if (v instanceof LocalTime t) {
      return out.setStringValue(RowStructs.text(t)).build();
    }
    return out.setStringValue(v.toString()).build();
  }
}
