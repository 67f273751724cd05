package io.inlet.cdc.sink;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.JsonFormat;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.record.HStreamRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stream record asks of the table. A change record of a source connector ({@code {"key":
 * {...}, "value": {...}}}) upserts {@code value} by the columns of {@code key}, or deletes the row
 * of {@code key} when {@code value} is null. Any other JSON object is upserted as a row by the
 * table's primary key. A record that is neither is refused with {@link PoisonRecordException}.
 */
record SinkRow(boolean delete, List<String> keyColumns, Map<String, Object> columns) {

  static SinkRow of(HStreamRecord record, List<String> tableKeys) {
    if (record.getHeader().getFlag() != HStreamRecordHeader.Flag.JSON) {
      Struct parsed;
      try {
        parsed = HStreamRecords.structFromJson(record.getPayload().toStringUtf8());
      } catch (IllegalArgumentException e) {
        throw new PoisonRecordException("the record is not a JSON object");
      }
      return of(parsed, tableKeys);
    }
    try {
      // A change record is read for its key and value only: its source position, often the
      // larger part, is skipped instead of parsed (half the sink's CPU in the profile), and the
      // key and value are read straight into columns, without building their messages.
      ByteString[] change = keyAndValue(record.getPayload());
      if (change[0] != null && change[1] != null) {
        StructColumns.Decoded key = StructColumns.value(change[0]);
        if (key.isStruct()) {
          return change(key, StructColumns.value(change[1]));
        }
      }
      return of(Struct.parseFrom(record.getPayload()), tableKeys);
    } catch (InvalidProtocolBufferException e) {
      throw new PoisonRecordException("the JSON record does not parse: " + e.getMessage());
    }
  }

  static SinkRow of(Struct payload, List<String> tableKeys) {
    Map<String, Value> fields = payload.getFieldsMap();
    Value key = fields.get("key");
    Value value = fields.get("value");
    if (key != null && value != null && key.hasStructValue()) {
      return change(key, value);
    }
    Map<String, Object> row = columns(payload);
    if (tableKeys.isEmpty()) {
      throw new PoisonRecordException(
          "the record has no key and the table has no primary key to upsert by");
    }
    for (String k : tableKeys) {
      if (!row.containsKey(k)) {
        throw new PoisonRecordException("the record has no value for key column \"" + k + "\"");
      }
    }
    return new SinkRow(false, tableKeys, row);
  }

  private static SinkRow change(Value key, Value value) {
    Map<String, Object> keyColumns = columns(key.getStructValue());
    if (keyColumns.isEmpty()) {
      throw new PoisonRecordException("the record's key has no columns");
    }
    List<String> keys = new ArrayList<>(keyColumns.keySet());
    if (value.hasNullValue()) {
      return new SinkRow(true, keys, keyColumns);
    }
    if (!value.hasStructValue()) {
      throw new PoisonRecordException("the record's value is neither an object nor null");
    }
    Map<String, Object> row = columns(value.getStructValue());
    row.putAll(keyColumns);
    return new SinkRow(false, keys, row);
  }

  private static SinkRow change(StructColumns.Decoded key, StructColumns.Decoded value)
      throws InvalidProtocolBufferException {
    Map<String, Object> keyColumns = StructColumns.columns(key.nested());
    if (keyColumns.isEmpty()) {
      throw new PoisonRecordException("the record's key has no columns");
    }
    List<String> keys = new ArrayList<>(keyColumns.keySet());
    if (value.kind() == StructColumns.NULL) {
      return new SinkRow(true, keys, keyColumns);
    }
    if (!value.isStruct()) {
      throw new PoisonRecordException("the record's value is neither an object nor null");
    }
    Map<String, Object> row = StructColumns.columns(value.nested());
    row.putAll(keyColumns);
    return new SinkRow(false, keys, row);
  }

  /** Struct's map entries (field 1) and an entry's key (1) and value (2), as length-delimited. */
  private static final int ENTRY_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int VALUE_TAG = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /**
   * The serialized values of the top-level fields "key" and "value" of a serialized Struct (null
   * where absent; the last one wins, as in a parsed Struct), parsing no field's value.
   */
  private static ByteString[] keyAndValue(ByteString payload)
      throws InvalidProtocolBufferException {
    ByteString[] out = new ByteString[2];
    try {
      CodedInputStream in = payload.newCodedInput();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != ENTRY_TAG) {
          in.skipField(tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        String name = "";
        ByteString value = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == ENTRY_TAG) {
            name = in.readStringRequireUtf8();
          } else if (t == VALUE_TAG) {
            value = in.readBytes();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
        int slot = name.equals("key") ? 0 : name.equals("value") ? 1 : -1;
        if (slot >= 0) {
          out[slot] = value == null ? ByteString.EMPTY : value;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return out;
  }

  private static Map<String, Object> columns(Struct struct) {
    Map<String, Object> out = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((name, v) -> out.put(name, jdbcValue(v)));
    return out;
  }

  /** A JSON number as a JDBC parameter: a Long when it is a whole number, else a Double. */
  static Object jdbcNumber(double d) {
    return d == Math.rint(d) && Math.abs(d) < 9.007199254740992e15 ? (Object) (long) d : d;
  }

  /** A JSON value as a JDBC parameter: integral numbers as Long, objects and lists as JSON text. */
  static Object jdbcValue(Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> v.getBoolValue();
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> jdbcNumber(v.getNumberValue());
      case STRUCT_VALUE, LIST_VALUE -> {
        try {
          yield JsonFormat.printer().omittingInsignificantWhitespace().print(v);
        } catch (InvalidProtocolBufferException e) {
          throw new PoisonRecordException("a nested value does not print as JSON");
        }
      }
    };
  }
}
