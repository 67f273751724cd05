package io.inlet.sql.shell;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.sql.parse.Json;
import java.util.Map;

/** Result values as a person reads them: JSON, with whole numbers without {@code .0}. */
final class ValueText {
  private ValueText() {}

  /** A table cell: strings unquoted, everything else as JSON. */
  static String cell(Value value) {
    return value.getKindCase() == Value.KindCase.STRING_VALUE
        ? value.getStringValue()
        : json(value);
  }

  static String json(Struct struct) {
    StringBuilder out = new StringBuilder();
    object(struct, out);
    return out.toString();
  }

  static String json(Value value) {
    StringBuilder out = new StringBuilder();
    value(value, out);
    return out.toString();
  }

  private static void value(Value value, StringBuilder out) {
    switch (value.getKindCase()) {
      case NUMBER_VALUE -> out.append(number(value.getNumberValue()));
      case STRING_VALUE -> Json.string(value.getStringValue(), out);
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case STRUCT_VALUE -> object(value.getStructValue(), out);
      case LIST_VALUE -> list(value.getListValue(), out);
      default -> out.append("null");
    }
  }

  private static void object(Struct struct, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      Json.string(field.getKey(), out);
      out.append(": ");
      value(field.getValue(), out);
    }
    out.append('}');
  }

  private static void list(ListValue list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.getValuesCount(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      value(list.getValues(i), out);
    }
    out.append(']');
  }

  static String number(double number) {
    if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e15) {
      return Long.toString((long) number);
    }
    return Double.toString(number);
  }
}
