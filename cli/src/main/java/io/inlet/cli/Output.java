package io.inlet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What a command prints on stdout: human-readable lines and tables by default, or with {@code
 * --json} one JSON document (field names are part of the CLI's contract; only add to them).
 */
final class Output {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINES = new ObjectMapper();

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  PrintWriter writer() {
    return out;
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  void table(TextTable table) {
    table.print(out);
  }

  /** Prints one JSON document, indented. */
  void document(JsonNode document) {
    write(JSON, document);
  }

  /**
   * The start of every list command: with {@code --json} prints {@code {"<name>": [...]}}, without
   * it and with no items prints "no <name>". Returns whether it printed, so the caller prints its
   * table only when this returns false.
   */
  <T> boolean printedJsonOrNone(String name, List<T> items, Function<T, JsonNode> toJson) {
    if (json) {
      ArrayNode array = array();
      items.forEach(item -> array.add(toJson.apply(item)));
      ObjectNode document = object();
      document.set(name, array);
      document(document);
      return true;
    }
    if (items.isEmpty()) {
      line("no " + name);
      return true;
    }
    return false;
  }

  /**
   * Prints what a change did to one object: with {@code --json} {@code {"<key>": id, "<what>":
   * done}}, else {@code text}.
   */
  void outcome(String key, String id, String what, boolean done, String text) {
    if (json) {
      ObjectNode document = object();
      document.put(key, id);
      document.put(what, done);
      document(document);
    } else {
      line(text);
    }
  }

  /** Prints one JSON document on one line (JSON Lines, for unbounded output). */
  void documentLine(JsonNode document) {
    write(JSON_LINES, document);
  }

  private void write(ObjectMapper mapper, JsonNode document) {
    try {
      out.println(mapper.writeValueAsString(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** A uint64 from the wire as a JSON number (never negative). */
  static JsonNode unsigned(long value) {
    return value >= 0
        ? JsonNodeFactory.instance.numberNode(value)
        : JsonNodeFactory.instance.numberNode(new BigInteger(Long.toUnsignedString(value)));
  }

  /** An instant for humans and scripts alike: ISO-8601 in UTC, or null when unset. */
  static String instant(Timestamp timestamp) {
    if (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0) {
      return null;
    }
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
  }
}
