package io.inlet.sql.flink;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Rows as JSON objects ({@code google.protobuf.Struct}): numbers stay numbers, a TIMESTAMP_LTZ is
 * its ISO-8601 instant ({@code 2026-12-03T10:00:00Z}), a TIMESTAMP its ISO-8601 local date-time, a
 * DATE or TIME its ISO text, NULL is JSON null, an ARRAY a JSON array (of arrays, for TOPK over
 * windows or CHUNKSOF) and a ROW a JSON object.
 */
public final class RowStructs implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final LogicalType[] types;
  private transient RowData.FieldGetter[] getters;

  public RowStructs(List<String> names, List<LogicalType> types) {
    this.names = names.toArray(String[]::new);
    this.types = types.toArray(LogicalType[]::new);
  }

  public Struct toStruct(RowData row) {
    if (getters == null) {
      RowData.FieldGetter[] g = new RowData.FieldGetter[types.length];
      for (int i = 0; i < types.length; i++) {
        g[i] = RowData.createFieldGetter(types[i], i);
      }
      getters = g;
    }
    Struct.Builder out = Struct.newBuilder();
    for (int i = 0; i < names.length; i++) {
      out.putFields(names[i], value(getters[i].getFieldOrNull(row), types[i]));
    }
    return out.build();
  }

  static Value value(Object v, LogicalType type) {
    Value.Builder out = Value.newBuilder();
    if (v == null) {
      return out.setNullValueValue(0).build();
    }
    switch (type.getTypeRoot()) {
      case CHAR:
      case VARCHAR:
        return out.setStringValue(((StringData) v).toString()).build();
      case BOOLEAN:
        return out.setBoolValue((Boolean) v).build();
      case TINYINT:
      case SMALLINT:
      case INTEGER:
      case BIGINT:
      case FLOAT:
      case DOUBLE:
        return out.setNumberValue(((Number) v).doubleValue()).build();
      case DECIMAL:
        return out.setNumberValue(((DecimalData) v).toBigDecimal().doubleValue()).build();
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return out.setStringValue(((TimestampData) v).toInstant().toString()).build();
      case TIMESTAMP_WITHOUT_TIME_ZONE:
        return out.setStringValue(text(((TimestampData) v).toLocalDateTime())).build();
      case DATE:
        return out.setStringValue(LocalDate.ofEpochDay((Integer) v).toString()).build();
      case TIME_WITHOUT_TIME_ZONE:
        return out.setStringValue(text(LocalTime.ofNanoOfDay((Integer) v * 1_000_000L))).build();
      case ARRAY:
        return out.setListValue(list((ArrayData) v, ((ArrayType) type).getElementType())).build();
      case ROW:
        return out.setStructValue(struct((RowData) v, (RowType) type)).build();
      default:
        return out.setStringValue(String.valueOf(v)).build();
    }
  }

  private static ListValue list(ArrayData array, LogicalType elementType) {
    ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
    ListValue.Builder out = ListValue.newBuilder();
    for (int i = 0; i < array.size(); i++) {
      out.addValues(value(getter.getElementOrNull(array, i), elementType));
    }
    return out.build();
  }

  private static Struct struct(RowData row, RowType type) {
    Struct.Builder out = Struct.newBuilder();
    List<RowType.RowField> fields = type.getFields();
    for (int i = 0; i < fields.size(); i++) {
      LogicalType fieldType = fields.get(i).getType();
      out.putFields(
          fields.get(i).getName(),
          value(RowData.createFieldGetter(fieldType, i).getFieldOrNull(row), fieldType));
    }
    return out.build();
  }

  /**
   * A date-time as ISO-8601 with its seconds always written ({@code 2026-12-03T10:00:00}, where
   * {@code LocalDateTime.toString} would drop ":00").
   */
  public static String text(LocalDateTime t) {
    return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
  }

  /** A time as ISO-8601 with its seconds always written ({@code 10:00:00}). */
  public static String text(LocalTime t) {
    return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
  }
}
