package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.sql.flink.JsonRows;
import io.inlet.sql.flink.RowStructs;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.Row;

/** A view's rows as a Flink SQL VALUES query, and a pull query's result rows as Structs. */
final class PullValues {
  private PullValues() {}

  static String select(List<Column> columns, List<ObjectNode> rows) {
    List<String> names = columns.stream().map(c -> JobPlans.quote(c.name())).toList();
    if (rows.isEmpty()) {
      List<String> items = new ArrayList<>();
      for (Column c : columns) {
        items.add("CAST(NULL AS " + c.type() + ") AS " + JobPlans.quote(c.name()));
      }
      return "SELECT " + String.join(", ", items) + " FROM (VALUES (1)) AS t(x) WHERE FALSE";
    }
    List<String> tuples = new ArrayList<>();
    for (ObjectNode row : rows) {
      List<String> values = new ArrayList<>();
      for (Column c : columns) {
        values.add(literal(row.get(c.name()), c.type()));
      }
      tuples.add("(" + String.join(", ", values) + ")");
    }
    return "SELECT * FROM (VALUES "
        + String.join(", ", tuples)
        + ") AS t("
        + String.join(", ", names)
        + ")";
  }

  private static String literal(JsonNode value, String type) {
    if (value == null || value.isNull()) {
      return "CAST(NULL AS " + type + ")";
    }
    String t = type.toUpperCase(Locale.ROOT);
    if (t.startsWith("TIMESTAMP")) {
      Long ms =
          value.isNumber() ? Long.valueOf(value.asLong()) : JsonRows.parseTime(value.asText());
      if (ms == null) {
        return "CAST(NULL AS " + type + ")";
      }
      String ltz = "TO_TIMESTAMP_LTZ(" + ms + ", 3)";
      return t.startsWith("TIMESTAMP_LTZ") || t.contains("LOCAL TIME ZONE")
          ? ltz
          : "CAST(" + ltz + " AS " + type + ")";
    }
    String text = value.isTextual() ? value.asText() : value.toString();
    return "CAST('" + text.replace("'", "''") + "' AS " + type + ")";
  }

  static Struct struct(Row row, List<String> names, List<LogicalType> types) {
    Struct.Builder out = Struct.newBuilder();
    for (int i = 0; i < names.size(); i++) {
      out.putFields(names.get(i), value(row.getField(i)));
    }
    return out.build();
  }

  private static Value value(Object v) {
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
