package io.inlet.cdc.sink;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.record.HStreamRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns stream records into {@link SinkRow}s. A change record of a source connector ({@code {"key":
 * {...}, "value": {...}}}) upserts {@code value} by the columns of {@code key}, or deletes the row
 * of {@code key} when {@code value} is null. Any other JSON object is upserted as a row by the
 * table's primary key. A record that is neither is refused with {@link PoisonRecordException}.
 *
 * <p>A sink's records mostly come from one table, so consecutive rows have the same columns: the
 * decoder keeps the last row's {@link Layout} and, while the field names read stay the same, reuses
 * it (and its {@link RowShape}) instead of resolving names again. Not thread-safe: one per sink
 * loop.
 */
final class SinkRowDecoder {
  /** Struct's map entries (field 1) and an entry's key (1) and value (2), as length-delimited. */
  private static final int ENTRY_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int VALUE_TAG = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final ByteString KEY_NAME = ByteString.copyFromUtf8("key");
  private static final ByteString VALUE_NAME = ByteString.copyFromUtf8("value");

  private final List<String> tableKeys;
  private Layout last;

  /**
   * @param tableKeys the table's primary key columns, which a record that is not a change record is
   *     upserted by (empty: such records are refused)
   */
  SinkRowDecoder(List<String> tableKeys) {
    this.tableKeys = List.copyOf(tableKeys);
  }

  SinkRow decode(HStreamRecord record) {
    if (record.getHeader().getFlag() != HStreamRecordHeader.Flag.JSON) {
      Struct parsed;
      try {
        parsed = HStreamRecords.structFromJson(record.getPayload().toStringUtf8());
      } catch (IllegalArgumentException e) {
        throw new PoisonRecordException("the record is not a JSON object");
      }
      return decode(parsed);
    }
    try {
      // A change record is read for its key and value only: its source position, often the
      // larger part, is skipped instead of parsed, and the key and value are read straight into
      // columns, without building their messages.
      ByteString[] change = keyAndValue(record.getPayload());
      if (change[0] != null && change[1] != null) {
        StructColumns.Decoded key = StructColumns.value(change[0]);
        if (key.isStruct()) {
          StructColumns.Decoded value = StructColumns.value(change[1]);
          return change(StructColumns.fields(key.nested()), value);
        }
      }
      return decode(Struct.parseFrom(record.getPayload()));
    } catch (InvalidProtocolBufferException e) {
      throw new PoisonRecordException("the JSON record does not parse: " + e.getMessage());
    }
  }

  /** The row a parsed JSON record asks for. */
  SinkRow decode(Struct payload) {
    Map<String, Value> fields = payload.getFieldsMap();
    Value key = fields.get("key");
    Value value = fields.get("value");
    if (key != null && value != null && key.hasStructValue()) {
      StructColumns.Fields keyFields = StructColumns.fields(key.getStructValue());
      if (value.hasNullValue()) {
        return row(true, true, keyFields, new StructColumns.Fields());
      }
      if (!value.hasStructValue()) {
        throw new PoisonRecordException("the record's value is neither an object nor null");
      }
      return row(true, false, keyFields, StructColumns.fields(value.getStructValue()));
    }
    return row(false, false, new StructColumns.Fields(), StructColumns.fields(payload));
  }

  private SinkRow change(StructColumns.Fields key, StructColumns.Decoded value)
      throws InvalidProtocolBufferException {
    if (value.kind() == StructColumns.NULL) {
      return row(true, true, key, new StructColumns.Fields());
    }
    if (!value.isStruct()) {
      throw new PoisonRecordException("the record's value is neither an object nor null");
    }
    return row(true, false, key, StructColumns.fields(value.nested()));
  }

  /**
   * The row of a change's key and value fields (a delete has no value fields), or of a plain object
   * ({@code change} false, no key fields) upserted by the table's key.
   */
  private SinkRow row(
      boolean change, boolean delete, StructColumns.Fields key, StructColumns.Fields value) {
    Layout layout = last;
    if (layout == null || !layout.readsAs(change, delete, key.names, value.names)) {
      layout = Layout.of(change, delete, key.names, value.names, tableKeys);
      last = layout;
    }
    Object[] values = new Object[layout.shape.parameters().size()];
    layout.place(value.values, layout.valueSlots, values);
    layout.place(key.values, layout.keySlots, values);
    return new SinkRow(layout.shape, values);
  }

  /**
   * Where the fields of records with these names go: each value field's and key field's parameter
   * slot (a repeated name shares its slot, so the last value wins, and a key field overrides the
   * value field of its name).
   */
  private record Layout(
      RowShape shape,
      boolean change,
      List<String> keyNames,
      List<String> valueNames,
      int[] keySlots,
      int[] valueSlots) {

    static Layout of(
        boolean change,
        boolean delete,
        List<String> keyNames,
        List<String> valueNames,
        List<String> tableKeys) {
      if (change && keyNames.isEmpty()) {
        throw new PoisonRecordException("the record's key has no columns");
      }
      Map<String, Integer> slots = new LinkedHashMap<>();
      int[] valueSlots = slotsOf(valueNames, slots);
      int[] keySlots = slotsOf(keyNames, slots);
      List<String> keys;
      if (change) {
        keys = List.copyOf(new LinkedHashSet<>(keyNames));
      } else if (tableKeys.isEmpty()) {
        throw new PoisonRecordException(
            "the record has no key and the table has no primary key to upsert by");
      } else {
        for (String k : tableKeys) {
          if (!slots.containsKey(k)) {
            throw new PoisonRecordException("the record has no value for key column \"" + k + "\"");
          }
        }
        keys = tableKeys;
      }
      List<String> parameters = new ArrayList<>(slots.keySet());
      RowShape shape = new RowShape(delete, parameters, keys);
      return new Layout(
          shape, change, List.copyOf(keyNames), List.copyOf(valueNames), keySlots, valueSlots);
    }

    private static int[] slotsOf(List<String> names, Map<String, Integer> slots) {
      int[] out = new int[names.size()];
      for (int i = 0; i < out.length; i++) {
        Integer slot = slots.get(names.get(i));
        if (slot == null) {
          slot = slots.size();
          slots.put(names.get(i), slot);
        }
        out[i] = slot;
      }
      return out;
    }

    /** Whether a record whose fields have these names, in this order, is laid out the same. */
    boolean readsAs(
        boolean change, boolean delete, List<String> keyNames, List<String> valueNames) {
      return this.change == change
          && shape.delete() == delete
          && this.keyNames.equals(keyNames)
          && this.valueNames.equals(valueNames);
    }

    void place(List<Object> fieldValues, int[] slots, Object[] into) {
      for (int i = 0; i < slots.length; i++) {
        into[slots[i]] = fieldValues.get(i);
      }
    }
  }

  /**
   * The serialized values of the top-level fields "key" and "value" of a serialized Struct (null
   * where absent; the last one wins, as in a parsed Struct), neither copying nor parsing any
   * field's value.
   */
  private static ByteString[] keyAndValue(ByteString payload)
      throws InvalidProtocolBufferException {
    ByteString[] out = new ByteString[2];
    try {
      CodedInputStream in = StructColumns.input(payload);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != ENTRY_TAG) {
          in.skipField(tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        ByteString name = ByteString.EMPTY;
        ByteString value = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == ENTRY_TAG) {
            name = in.readBytes();
          } else if (t == VALUE_TAG) {
            value = in.readBytes();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
        if (!name.isValidUtf8()) {
          throw new InvalidProtocolBufferException("a field name is not valid UTF-8");
        }
        int slot = name.equals(KEY_NAME) ? 0 : name.equals(VALUE_NAME) ? 1 : -1;
        if (slot >= 0) {
          out[slot] = value == null ? ByteString.EMPTY : value;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return out;
  }
}
