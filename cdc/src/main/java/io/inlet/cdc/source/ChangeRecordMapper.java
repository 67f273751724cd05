package io.inlet.cdc.source;

import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Value;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One Debezium change event as one JSON record of the target stream:
 *
 * <pre>{"key": {"id": 7}, "value": {"id": 7, "name": "x"}, "op": "u",
 *  "source": {"db": "shop", "table": "orders", "file": "...", "pos": 1234, ...}, "ts_ms": ...}
 * </pre>
 *
 * {@code value} is the row after the change, null for a delete; {@code op} is Debezium's {@code c}
 * (insert), {@code u} (update), {@code d} (delete) or {@code r} (read by the snapshot); {@code
 * source} is where the change was read (database, table, binlog file and position or WAL LSN,
 * commit time). The record's key (its partition key) is the primary key: the value for a one-column
 * key, else the key as JSON. Events that are not row changes (heartbeats, schema changes) map to
 * null.
 */
public final class ChangeRecordMapper {
  private ChangeRecordMapper() {}

  /** A mapped change: the record, its partition key and when the database committed it. */
  public record Change(String partitionKey, HStreamRecord record, long sourceTimeMs) {}

  /** The record for a change event, or null when the event is not a row change. */
  public static Change map(SourceRecord event) {
    if (!(event.value() instanceof org.apache.kafka.connect.data.Struct envelope)) {
      return null;
    }
    Schema schema = envelope.schema();
    if (schema.field("op") == null || schema.field("source") == null) {
      return null;
    }
    String op = envelope.getString("op");
    Map<String, ByteString> out = new LinkedHashMap<>();
    out.put(
        "key",
        event.key() instanceof org.apache.kafka.connect.data.Struct key
            ? StructBytes.value(key.schema(), key)
            : NULL);
    Object after = schema.field("after") == null ? null : envelope.get("after");
    out.put(
        "value",
        after == null || "d".equals(op)
            ? NULL
            : StructBytes.value(schema.field("after").schema(), after));
    out.put("op", Value.newBuilder().setStringValue(op).build().toByteString());
    org.apache.kafka.connect.data.Struct source = envelope.getStruct("source");
    out.put("source", StructBytes.value(source.schema(), source));
    Object tsMs = schema.field("ts_ms") == null ? null : envelope.get("ts_ms");
    if (tsMs != null) {
      out.put(
          "ts_ms",
          Value.newBuilder().setNumberValue(((Number) tsMs).doubleValue()).build().toByteString());
    }
    Object sourceTs = source.schema().field("ts_ms") == null ? null : source.get("ts_ms");
    long sourceTimeMs = sourceTs instanceof Number n ? n.longValue() : System.currentTimeMillis();
    String partitionKey = partitionKey(event);
    HStreamRecord record =
        HStreamRecord.newBuilder()
            .setHeader(
                HStreamRecordHeader.newBuilder()
                    .setFlag(HStreamRecordHeader.Flag.JSON)
                    .setKey(partitionKey))
            .setPayload(StructBytes.struct(out))
            .build();
    return new Change(partitionKey, record, sourceTimeMs);
  }

  private static final ByteString NULL =
      Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build().toByteString();

  private static String partitionKey(SourceRecord event) {
    if (!(event.key() instanceof org.apache.kafka.connect.data.Struct struct)) {
      return "";
    }
    List<Field> fields = struct.schema().fields();
    if (fields.size() == 1) {
      Field only = fields.get(0);
      Object value = struct.get(only);
      return value == null ? "" : scalarText(ConnectValues.value(only.schema(), value));
    }
    StringBuilder json = new StringBuilder("{");
    for (Field field : fields) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"')
          .append(field.name())
          .append("\":")
          .append(scalarJson(ConnectValues.value(field.schema(), struct.get(field))));
    }
    return json.append('}').toString();
  }

  private static String scalarText(Value value) {
    return switch (value.getKindCase()) {
      case STRING_VALUE -> value.getStringValue();
      case NUMBER_VALUE -> numberText(value.getNumberValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> scalarJson(value);
    };
  }

  private static String scalarJson(Value value) {
    return switch (value.getKindCase()) {
      case STRING_VALUE ->
          '"' + value.getStringValue().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      case NUMBER_VALUE -> numberText(value.getNumberValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> "null";
    };
  }

  private static String numberText(double number) {
    return number == Math.rint(number) && Math.abs(number) < 1e15
        ? Long.toString((long) number)
        : Double.toString(number);
  }
}
