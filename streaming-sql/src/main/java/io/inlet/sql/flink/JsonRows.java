package io.inlet.sql.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

/**
 * Records to rows and rows to records. A record is a JSON object: an HRecord (flag JSON, a {@code
 * google.protobuf.Struct} payload) or a RAW payload holding a JSON object. Each column takes the
 * field of its name, converted to the column's type (a number to a string column is its text, an
 * object or array to a string column is its JSON text; a value that does not convert is NULL). The
 * column {@value #EVENT_TIME} takes the event time.
 */
public final class JsonRows implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The event-time column. */
  public static final String EVENT_TIME = "__event_time";

  private final String[] names;
  private final LogicalType[] types;
  private final String eventTimeField;

  /** The slot of each field an HRecord's row reads (columns, event time); built on first use. */
  private transient Slots slots;

  /**
   * @param eventTimeField the record field with the event time, or null for the append time
   */
  public JsonRows(List<String> names, List<LogicalType> types, String eventTimeField) {
    this.names = names.toArray(String[]::new);
    this.types = types.toArray(LogicalType[]::new);
    this.eventTimeField = eventTimeField;
  }

  /** A record's JSON object, or null when its payload is not one. */
  public static ObjectNode object(HStreamRecord record) {
    try {
      if (record.getHeader().getFlag() == HStreamRecordHeader.Flag.JSON) {
        return fromStruct(Struct.parseFrom(record.getPayload()));
      }
      JsonNode node = JSON.readTree(record.getPayload().toByteArray());
      return node instanceof ObjectNode o ? o : null;
    } catch (InvalidProtocolBufferException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The row of a record's object, or null when the payload is not a JSON object. */
  public RowData toRow(HStreamRecord record, long appendTimeMs) {
    if (record.getHeader().getFlag() == HStreamRecordHeader.Flag.JSON) {
      return structRow(record, appendTimeMs);
    }
    ObjectNode object = object(record);
    return object == null ? null : toRow(object, appendTimeMs);
  }

  /** An HRecord's row, from only the fields the columns and the event time need. */
  private RowData structRow(HStreamRecord record, long appendTimeMs) {
    Slots slots = this.slots;
    if (slots == null) {
      slots = this.slots = new Slots(names, eventTimeField);
    }
    JsonNode[] values = new JsonNode[slots.bySlot.size()];
    if (!StructFields.pick(record.getPayload(), slots.bySlot, values)) {
      return null;
    }
    GenericRowData row = new GenericRowData(RowKind.INSERT, names.length);
    for (int i = 0; i < names.length; i++) {
      int slot = slots.ofColumn[i];
      if (slot == Slots.EVENT_TIME_COLUMN) {
        JsonNode time = slots.eventTime < 0 ? null : values[slots.eventTime];
        row.setField(
            i,
            TimestampData.fromEpochMillis(
                eventTimeField == null ? appendTimeMs : eventTime(time, appendTimeMs)));
      } else {
        row.setField(i, convert(values[slot], types[i]));
      }
    }
    return row;
  }

  /** Where each field a row needs goes in the array {@link StructFields#pick} fills. */
  private static final class Slots {
    static final int EVENT_TIME_COLUMN = -1;
    final Map<String, Integer> bySlot = new HashMap<>();
    final int[] ofColumn;
    final int eventTime;

    Slots(String[] names, String eventTimeField) {
      ofColumn = new int[names.length];
      for (int i = 0; i < names.length; i++) {
        ofColumn[i] =
            EVENT_TIME.equals(names[i])
                ? EVENT_TIME_COLUMN
                : bySlot.computeIfAbsent(names[i], n -> bySlot.size());
      }
      eventTime =
          eventTimeField == null ? -1 : bySlot.computeIfAbsent(eventTimeField, n -> bySlot.size());
    }
  }

  RowData toRow(ObjectNode object, long appendTimeMs) {
    GenericRowData row = new GenericRowData(RowKind.INSERT, names.length);
    for (int i = 0; i < names.length; i++) {
      if (EVENT_TIME.equals(names[i])) {
        row.setField(i, TimestampData.fromEpochMillis(eventTime(object, appendTimeMs)));
      } else {
        row.setField(i, convert(object.get(names[i]), types[i]));
      }
    }
    return row;
  }

  long eventTime(ObjectNode object, long appendTimeMs) {
    if (eventTimeField == null) {
      return appendTimeMs;
    }
    return eventTime(object.get(eventTimeField), appendTimeMs);
  }

  private static long eventTime(JsonNode value, long appendTimeMs) {
    if (value == null || value.isNull()) {
      return appendTimeMs;
    }
    if (value.isNumber()) {
      return value.asLong();
    }
    Long parsed = parseTime(value.asText());
    return parsed == null ? appendTimeMs : parsed;
  }

  static Object convert(JsonNode value, LogicalType type) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    switch (type.getTypeRoot()) {
      case CHAR:
      case VARCHAR:
        return StringData.fromString(value.isTextual() ? value.asText() : text(value));
      case BOOLEAN:
        if (value.isBoolean()) {
          return value.asBoolean();
        }
        return value.isTextual() ? Boolean.parseBoolean(value.asText()) : null;
      case TINYINT:
        return value.isNumber() ? (byte) value.asLong() : null;
      case SMALLINT:
        return value.isNumber() ? (short) value.asLong() : null;
      case INTEGER:
        return number(value) ? (int) longOf(value) : null;
      case BIGINT:
        return number(value) ? longOf(value) : null;
      case FLOAT:
        return number(value) ? (float) doubleOf(value) : null;
      case DOUBLE:
        return number(value) ? doubleOf(value) : null;
      case DECIMAL:
        {
          if (!number(value)) {
            return null;
          }
          DecimalType d = (DecimalType) type;
          return DecimalData.fromBigDecimal(
              new BigDecimal(value.asText()), d.getPrecision(), d.getScale());
        }
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        {
          Long ms = value.isNumber() ? Long.valueOf(value.asLong()) : parseTime(value.asText());
          return ms == null ? null : TimestampData.fromEpochMillis(ms);
        }
      case DATE:
        try {
          return (int) LocalDate.parse(value.asText()).toEpochDay();
        } catch (DateTimeParseException e) {
          return null;
        }
      case TIME_WITHOUT_TIME_ZONE:
        try {
          return (int) (LocalTime.parse(value.asText()).toNanoOfDay() / 1_000_000);
        } catch (DateTimeParseException e) {
          return null;
        }
      default:
        return null;
    }
  }

  private static boolean number(JsonNode value) {
    if (value.isNumber()) {
      return true;
    }
    if (value.isTextual()) {
      try {
        Double.parseDouble(value.asText());
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return false;
  }

  private static long longOf(JsonNode value) {
    return value.isNumber() ? value.asLong() : (long) Double.parseDouble(value.asText());
  }

  private static double doubleOf(JsonNode value) {
    return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asText());
  }

  /**
   * An ISO-8601 instant or local date-time (UTC), or epoch milliseconds, as epoch milliseconds;
   * null when it is none.
   */
  public static Long parseTime(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e2) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e3) {
          return null;
        }
      }
    }
  }

  private static String text(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return value.toString();
    }
  }

  /** A Struct as a Jackson object; an integral number becomes a long. */
  public static ObjectNode fromStruct(Struct struct) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
      out.set(e.getKey(), fromValue(e.getValue()));
    }
    return out;
  }

  static JsonNode fromValue(Value value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (value.getKindCase()) {
      case NUMBER_VALUE:
        return numberNode(value.getNumberValue());
      case STRING_VALUE:
        return f.textNode(value.getStringValue());
      case BOOL_VALUE:
        return f.booleanNode(value.getBoolValue());
      case STRUCT_VALUE:
        return fromStruct(value.getStructValue());
      case LIST_VALUE:
        {
          ArrayNode array = f.arrayNode();
          for (Value v : value.getListValue().getValuesList()) {
            array.add(fromValue(v));
          }
          return array;
        }
      default:
        return f.nullNode();
    }
  }

  /** A Struct's number as JSON: an integral one becomes a long. */
  static JsonNode numberNode(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
      return JsonNodeFactory.instance.numberNode((long) d);
    }
    return JsonNodeFactory.instance.numberNode(d);
  }

  /** A Jackson value as a protobuf Value. */
  public static Value toValue(JsonNode node) {
    if (node == null || node.isNull()) {
      return Value.newBuilder().setNullValueValue(0).build();
    }
    if (node.isNumber()) {
      return Value.newBuilder().setNumberValue(node.asDouble()).build();
    }
    if (node.isBoolean()) {
      return Value.newBuilder().setBoolValue(node.asBoolean()).build();
    }
    if (node.isObject()) {
      Struct.Builder s = Struct.newBuilder();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        s.putFields(e.getKey(), toValue(e.getValue()));
      }
      return Value.newBuilder().setStructValue(s).build();
    }
    if (node.isArray()) {
      ListValue.Builder l = ListValue.newBuilder();
      node.forEach(v -> l.addValues(toValue(v)));
      return Value.newBuilder().setListValue(l).build();
    }
    return Value.newBuilder().setStringValue(node.asText()).build();
  }
}
