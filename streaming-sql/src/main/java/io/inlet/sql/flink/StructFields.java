package io.inlet.sql.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Map;

/**
 * Reads the fields a query needs straight from a {@code google.protobuf.Struct} payload's wire
 * format, skipping the others, without building the Struct, its map entries or a JSON object of
 * every field: the source's per-record cost. Gives the same values as {@link JsonRows#fromStruct}:
 * a field given twice takes its last value, as a Struct's map does.
 */
final class StructFields {
  private static final int FIELDS =
      1; // Struct.fields, map<string, Value>: entries of key 1, value 2
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;

  private StructFields() {}

  /**
   * The values of the wanted fields, by slot ({@code slots} maps a field name to its slot); a field
   * the payload lacks is null in {@code out}. Returns false when the payload is not a Struct.
   */
  static boolean pick(ByteString payload, Map<String, Integer> slots, JsonNode[] out) {
    try {
      CodedInputStream in = payload.newCodedInput();
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return true;
        }
        if (WireFormat.getTagFieldNumber(tag) != FIELDS
            || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          if (!in.skipField(tag)) {
            return true;
          }
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        entry(in, slots, out);
        in.popLimit(limit);
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** One map entry: its key, then (when the key is wanted) its value. */
  private static void entry(CodedInputStream in, Map<String, Integer> slots, JsonNode[] out)
      throws IOException {
    boolean keySeen = false;
    Integer slot = null;
    JsonNode value = null;
    ByteString valueBeforeKey = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == ENTRY_KEY && delimited) {
        keySeen = true;
        slot = slots.get(in.readStringRequireUtf8());
      } else if (field == ENTRY_VALUE && delimited) {
        if (!keySeen) {
          // Any field order is valid protobuf: keep the value until the key says if it is wanted.
          valueBeforeKey = in.readBytes();
          value = null;
        } else if (slot == null) {
          in.skipField(tag);
        } else {
          int limit = in.pushLimit(in.readRawVarint32());
          value = value(in);
          in.popLimit(limit);
          valueBeforeKey = null;
        }
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    if (!keySeen) {
      slot = slots.get(""); // a map entry without a key has the empty key
    }
    if (slot == null) {
      return;
    }
    if (value == null && valueBeforeKey != null) {
      value = value(valueBeforeKey.newCodedInput());
    }
    // An entry without a value holds the default Value (no kind): null, as fromStruct gives.
    out[slot] = value == null ? JsonNodeFactory.instance.nullNode() : value;
  }

  /** A Value message's content as JSON; the last of several kinds wins, as in protobuf. */
  private static JsonNode value(CodedInputStream in) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode out = f.nullNode();
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        return out;
      }
      int wire = WireFormat.getTagWireType(tag);
      switch (WireFormat.getTagFieldNumber(tag)) {
        case Value.NULL_VALUE_FIELD_NUMBER -> {
          if (wire != WireFormat.WIRETYPE_VARINT) {
            throw wrongWireType();
          }
          in.readEnum();
          out = f.nullNode();
        }
        case Value.NUMBER_VALUE_FIELD_NUMBER -> {
          if (wire != WireFormat.WIRETYPE_FIXED64) {
            throw wrongWireType();
          }
          out = JsonRows.numberNode(in.readDouble());
        }
        case Value.STRING_VALUE_FIELD_NUMBER -> {
          if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType();
          }
          out = f.textNode(in.readStringRequireUtf8());
        }
        case Value.BOOL_VALUE_FIELD_NUMBER -> {
          if (wire != WireFormat.WIRETYPE_VARINT) {
            throw wrongWireType();
          }
          out = f.booleanNode(in.readBool());
        }
        case Value.STRUCT_VALUE_FIELD_NUMBER -> {
          if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType();
          }
          out = JsonRows.fromStruct(Struct.parseFrom(in.readBytes()));
        }
        case Value.LIST_VALUE_FIELD_NUMBER -> {
          if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw wrongWireType();
          }
          out =
              JsonRows.fromValue(
                  Value.newBuilder().setListValue(ListValue.parseFrom(in.readBytes())).build());
        }
        default -> {
          if (!in.skipField(tag)) {
            return out;
          }
        }
      }
    }
  }

  private static InvalidProtocolBufferException wrongWireType() {
    return new InvalidProtocolBufferException("a Value field has the wrong wire type");
  }
}
