package io.inlet.cdc.sink;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads serialized protobuf {@code Struct}s and {@code Value}s (how a JSON record is stored)
 * straight into JDBC column values, without building the messages: a sink reads every record once,
 * and the messages' maps and entry objects were most of that cost. Nested objects and lists, rare
 * in change records, are parsed as messages and passed on as JSON text ({@link #jdbcValue(Value)}).
 */
final class StructColumns {
  private StructColumns() {}

  /** {@code Value}'s oneof fields, by field number. */
  static final int NOT_SET = 0;

  static final int NULL = 1;
  static final int NUMBER = 2;
  static final int STRING = 3;
  static final int BOOL = 4;
  static final int STRUCT = 5;
  static final int LIST = 6;

  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int ENTRY_TAG = (1 << 3) | LENGTH_DELIMITED;
  private static final int ENTRY_KEY_TAG = (1 << 3) | LENGTH_DELIMITED;
  private static final int ENTRY_VALUE_TAG = (2 << 3) | LENGTH_DELIMITED;

  /**
   * A decoded {@code Value}: its kind, the scalar (null, Double, String or Boolean), and for a
   * struct or list the nested message's bytes.
   */
  record Decoded(int kind, Object scalar, ByteString nested) {
    boolean isStruct() {
      return kind == STRUCT;
    }
  }

  /**
   * A Struct's fields as read, in their stored order: a name may repeat (the last value is the
   * field's, as in a parsed {@code Struct}), which {@link SinkRowDecoder} resolves.
   */
  static final class Fields {
    final List<String> names = new ArrayList<>();
    final List<Object> values = new ArrayList<>();

    private void add(String name, Object value) {
      names.add(name);
      values.add(value);
    }
  }

  /** A serialized {@code Value}. */
  static Decoded value(ByteString bytes) throws InvalidProtocolBufferException {
    try {
      return value(input(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** A serialized {@code Struct}'s fields as JDBC values. */
  static Fields fields(ByteString struct) throws InvalidProtocolBufferException {
    Fields out = new Fields();
    try {
      CodedInputStream in = input(struct);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != ENTRY_TAG) {
          in.skipField(tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        String name = "";
        Object column = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == ENTRY_KEY_TAG) {
            name = in.readStringRequireUtf8();
          } else if (t == ENTRY_VALUE_TAG) {
            int valueLimit = in.pushLimit(in.readRawVarint32());
            column = jdbcValue(value(in));
            in.popLimit(valueLimit);
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
        out.add(name, column);
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return out;
  }

  /** A parsed {@code Struct}'s fields as JDBC values. */
  static Fields fields(Struct struct) {
    Fields out = new Fields();
    struct.getFieldsMap().forEach((name, v) -> out.add(name, jdbcValue(v)));
    return out;
  }

  /** Reads {@code bytes} without copying the nested messages and strings it hands out. */
  static CodedInputStream input(ByteString bytes) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    return in;
  }

  private static Decoded value(CodedInputStream in) throws IOException {
    int kind = NOT_SET;
    Object scalar = null;
    ByteString nested = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      if (field == NULL && wireType == WireFormat.WIRETYPE_VARINT) {
        in.readEnum();
        kind = NULL;
        scalar = null;
      } else if (field == NUMBER && wireType == WireFormat.WIRETYPE_FIXED64) {
        kind = NUMBER;
        scalar = in.readDouble();
      } else if (field == STRING && wireType == LENGTH_DELIMITED) {
        kind = STRING;
        scalar = in.readStringRequireUtf8();
      } else if (field == BOOL && wireType == WireFormat.WIRETYPE_VARINT) {
        kind = BOOL;
        scalar = in.readBool();
      } else if ((field == STRUCT || field == LIST) && wireType == LENGTH_DELIMITED) {
        kind = field;
        scalar = null;
        nested = in.readBytes();
      } else {
        in.skipField(tag);
      }
    }
    return new Decoded(kind, scalar, kind == STRUCT || kind == LIST ? nested : null);
  }

  /** A decoded value as a JDBC parameter, as {@link #jdbcValue(Value)} makes it of a message. */
  private static Object jdbcValue(Decoded v) throws InvalidProtocolBufferException {
    return switch (v.kind()) {
      case NUMBER, STRING, BOOL ->
          v.kind() == NUMBER ? jdbcNumber((Double) v.scalar()) : v.scalar();
      case STRUCT ->
          jdbcValue(Value.newBuilder().setStructValue(Struct.parseFrom(v.nested())).build());
      case LIST ->
          jdbcValue(Value.newBuilder().setListValue(ListValue.parseFrom(v.nested())).build());
      default -> null;
    };
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
