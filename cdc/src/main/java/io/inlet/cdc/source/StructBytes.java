package io.inlet.cdc.source;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  private static final int ENTRY_TAG_SIZE = CodedOutputStream.computeTagSize(STRUCT_FIELDS);

  private static final int VALUE_NULL = 1;
  private static final int VALUE_NUMBER = 2;
  private static final int VALUE_STRING = 3;
  private static final int VALUE_BOOL = 4;

  private static final ByteString NULL = scalar(VALUE_NULL, 0, null);
  private static final ByteString TRUE = scalar(VALUE_BOOL, 1, null);
  private static final ByteString FALSE = scalar(VALUE_BOOL, 0, null);

  /**
   * Field names as written in a Struct entry (tag, length, UTF-8), by name: a table's column names
   * and Debezium's source fields come back with every change. Bounded: names of map entries (any
   * text) are not kept.
   */
  private static final Map<String, byte[]> ENTRY_NAMES = new ConcurrentHashMap<>();

  private static final int MAX_ENTRY_NAMES = 10_000;

  private StructBytes() {}

  /** A Struct message of {@code fields}, each already a serialized {@code Value}. */
  static ByteString struct(Map<String, ByteString> fields) {
    List<byte[]> names = new ArrayList<>(fields.size());
    List<ByteString> values = new ArrayList<>(fields.size());
    fields.forEach(
        (name, value) -> {
          names.add(entryName(name));
          values.add(value);
        });
    return struct(names, values);
  }

  /** A Connect struct as a Struct message. */
  static ByteString struct(org.apache.kafka.connect.data.Struct value) {
    List<Field> schemaFields = value.schema().fields();
    List<byte[]> names = new ArrayList<>(schemaFields.size());
    List<ByteString> values = new ArrayList<>(schemaFields.size());
    for (Field field : schemaFields) {
      byte[] name = ENTRY_NAMES.get(field.name());
      if (name == null) {
        name = entryName(field.name());
        if (ENTRY_NAMES.size() < MAX_ENTRY_NAMES) {
          ENTRY_NAMES.put(field.name(), name);
        }
      }
      names.add(name);
      values.add(value(field.schema(), value.get(field)));
    }
    return struct(names, values);
  }

  /** A Struct entry's name field: tag, length and the name's UTF-8 bytes. */
  private static byte[] entryName(String name) {
    byte[] out = new byte[CodedOutputStream.computeStringSize(ENTRY_KEY, name)];
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      coded.writeString(ENTRY_KEY, name);
      coded.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * A Struct message of fields with the (distinct) entry names {@code names} holding the serialized
   * {@code values}, written into an array of its exact size: a growing output buffer per message
   * was most of the source connector's mapping cost (a 4 KiB encoder buffer each, then a
   * concatenation).
   */
  private static ByteString struct(List<byte[]> names, List<ByteString> values) {
    int[] entrySizes = new int[names.size()];
    int size = 0;
    for (int i = 0; i < entrySizes.length; i++) {
      int entry =
          names.get(i).length + CodedOutputStream.computeBytesSize(ENTRY_VALUE, values.get(i));
      entrySizes[i] = entry;
      size += ENTRY_TAG_SIZE + CodedOutputStream.computeUInt32SizeNoTag(entry) + entry;
    }
    byte[] out = new byte[size];
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      for (int i = 0; i < entrySizes.length; i++) {
        coded.writeTag(STRUCT_FIELDS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        coded.writeUInt32NoTag(entrySizes[i]);
        coded.writeRawBytes(names.get(i));
        coded.writeBytes(ENTRY_VALUE, values.get(i));
      }
      coded.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the array was sized to fit
    }
    return UnsafeByteOperations.unsafeWrap(out);
  }

  /** A Connect value as a serialized {@code Value} message. */
  static ByteString value(Schema schema, Object value) {
    if (value instanceof org.apache.kafka.connect.data.Struct struct) {
      return wrap(VALUE_STRUCT, struct(struct));
    }
    if (value instanceof List<?> list) {
      Schema items = schema == null ? null : schema.valueSchema();
      List<ByteString> elements = new ArrayList<>(list.size());
      int size = 0;
      for (Object item : list) {
        ByteString element = value(items, item);
        elements.add(element);
        size += CodedOutputStream.computeBytesSize(LIST_VALUES, element);
      }
      byte[] out = new byte[size];
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      try {
        for (ByteString element : elements) {
          coded.writeBytes(LIST_VALUES, element);
        }
        coded.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return wrap(VALUE_LIST, UnsafeByteOperations.unsafeWrap(out));
    }
    if (value instanceof Map<?, ?> map) {
      Schema values = schema == null ? null : schema.valueSchema();
      Map<String, ByteString> fields = new LinkedHashMap<>();
      map.forEach((k, v) -> fields.put(String.valueOf(k), value(values, v)));
      return wrap(VALUE_STRUCT, struct(fields));
    }
    if (schema == null || schema.name() == null) {
      // The common scalars without a logical type, as ConnectValues makes them, written directly.
      if (value == null) {
        return NULL;
      }
      if (value instanceof Boolean bool) {
        return bool ? TRUE : FALSE;
      }
      if (value instanceof String text) {
        return scalar(VALUE_STRING, 0, text);
      }
      if (value instanceof Number number && !(number instanceof BigDecimal)) {
        return scalar(VALUE_NUMBER, Double.doubleToRawLongBits(number.doubleValue()), null);
      }
    }
    return ConnectValues.value(schema, value).toByteString();
  }

  /**
   * A Value message with one scalar field: null or a bool ({@code bits} its number), a number
   * ({@code bits} its double's bits), or a string ({@code text}).
   */
  private static ByteString scalar(int field, long bits, String text) {
    int size =
        switch (field) {
          case VALUE_NUMBER -> CodedOutputStream.computeFixed64Size(field, bits);
          case VALUE_STRING -> CodedOutputStream.computeStringSize(field, text);
          default -> CodedOutputStream.computeEnumSize(field, (int) bits);
        };
    byte[] out = new byte[size];
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      switch (field) {
        case VALUE_NUMBER -> coded.writeFixed64(field, bits);
        case VALUE_STRING -> coded.writeString(field, text);
        default -> coded.writeEnum(field, (int) bits);
      }
      coded.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return UnsafeByteOperations.unsafeWrap(out);
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
