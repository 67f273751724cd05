package io.inlet.cdc.source;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Kafka Connect values written straight into the protobuf wire form of {@code
 * google.protobuf.Struct} and {@code Value}, the bytes a JSON record carries: the same message
 * {@link ConnectValues} builds, without building it. Building a {@code Struct} per change (its map,
 * an entry object per field, then sizing and serializing it) was a third of the source connector's
 * CPU in the profile; here each level is written once, inside out. Scalars are converted by {@link
 * ConnectValues}, so both forms agree value for value.
 */
final class StructBytes {
  // google/protobuf/struct.proto field numbers
  private static final int STRUCT_FIELDS = 1;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  private static final int VALUE_STRUCT = 5;
  private static final int VALUE_LIST = 6;
  private static final int LIST_VALUES = 1;

  private StructBytes() {}

  /** A Struct message of {@code fields}, each already a serialized {@code Value}. */
  static ByteString struct(Map<String, ByteString> fields) {
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      for (Map.Entry<String, ByteString> field : fields.entrySet()) {
        ByteString value = field.getValue();
        int entrySize =
            CodedOutputStream.computeStringSize(ENTRY_KEY, field.getKey())
                + CodedOutputStream.computeBytesSize(ENTRY_VALUE, value);
        coded.writeTag(STRUCT_FIELDS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        coded.writeUInt32NoTag(entrySize);
        coded.writeString(ENTRY_KEY, field.getKey());
        coded.writeBytes(ENTRY_VALUE, value);
      }
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // ByteString.Output does not fail
    }
    return out.toByteString();
  }

  /** A Connect struct as a Struct message. */
  static ByteString struct(org.apache.kafka.connect.data.Struct value) {
    Map<String, ByteString> fields = new java.util.LinkedHashMap<>();
    for (Field field : value.schema().fields()) {
      fields.put(field.name(), value(field.schema(), value.get(field)));
    }
    return struct(fields);
  }

  /** A Connect value as a serialized {@code Value} message. */
  static ByteString value(Schema schema, Object value) {
    if (value instanceof org.apache.kafka.connect.data.Struct struct) {
      return wrap(VALUE_STRUCT, struct(struct));
    }
    if (value instanceof List<?> list) {
      Schema items = schema == null ? null : schema.valueSchema();
      ByteString.Output out = ByteString.newOutput();
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      try {
        for (Object item : list) {
          coded.writeBytes(LIST_VALUES, value(items, item));
        }
        coded.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return wrap(VALUE_LIST, out.toByteString());
    }
    if (value instanceof Map<?, ?> map) {
      Schema values = schema == null ? null : schema.valueSchema();
      Map<String, ByteString> fields = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> fields.put(String.valueOf(k), value(values, v)));
      return wrap(VALUE_STRUCT, struct(fields));
    }
    return ConnectValues.value(schema, value).toByteString();
  }

  /** A Value message whose one field {@code field} holds the message {@code content}. */
  static ByteString wrap(int field, ByteString content) {
    byte[] out = new byte[CodedOutputStream.computeBytesSize(field, content)];
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      coded.writeBytes(field, content);
      coded.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return UnsafeByteOperations.unsafeWrap(out);
  }
}
