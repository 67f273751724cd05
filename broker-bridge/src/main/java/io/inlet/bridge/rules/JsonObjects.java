package io.inlet.bridge.rules;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.io.StringReader;

/**
 * Strict JSON (RFC 8259) to {@link Struct}: one object and nothing after it; no comments, unquoted
 * names, single quotes or NaN, which protobuf's own lenient parser would let through (and so store
 * "{a:1} trailing" as if it were {"a":1}). A repeated name keeps its last value. Numbers become
 * doubles, as in every JSON record.
 */
final class JsonObjects {
  private JsonObjects() {}

  /**
   * @throws IllegalArgumentException when the text is not exactly one JSON object
   */
  static Struct parse(String text) {
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      Struct struct = object(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("text after the JSON object");
      }
      return struct;
    } catch (IOException | IllegalStateException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Struct object(JsonReader reader) throws IOException {
    Struct.Builder struct = Struct.newBuilder();
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      struct.putFields(name, value(reader));
    }
    reader.endObject();
    return struct.build();
  }

  private static Value value(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT:
        return Value.newBuilder().setStructValue(object(reader)).build();
      case BEGIN_ARRAY:
        ListValue.Builder list = ListValue.newBuilder();
        reader.beginArray();
        while (reader.hasNext()) {
          list.addValues(value(reader));
        }
        reader.endArray();
        return Value.newBuilder().setListValue(list).build();
      case STRING:
        return Value.newBuilder().setStringValue(reader.nextString()).build();
      case NUMBER:
        return Value.newBuilder().setNumberValue(reader.nextDouble()).build();
      case BOOLEAN:
        return Value.newBuilder().setBoolValue(reader.nextBoolean()).build();
      case NULL:
        reader.nextNull();
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
      default:
        throw new IllegalStateException("unexpected " + reader.peek());
    }
  }
}
