package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.inlet.api.hstream.ColumnCatalog;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.Schema;
import io.inlet.api.read.ShardBatch;
import io.inlet.api.read.StreamReader;
import io.inlet.api.record.RecordBatches;
import io.inlet.sql.flink.JsonRows;
import io.inlet.sql.statement.SelectQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Types a source table's columns: from the stream's registered schema (RegisterSchema) when it has
 * one, else from its newest records (a JSON number is BIGINT when every value seen is whole, else
 * DOUBLE; a string STRING; a boolean BOOLEAN; an object or array STRING holding its JSON text). A
 * column seen nowhere is STRING.
 */
final class ColumnTypes {
  private static final int SAMPLE_BATCHES = 20;

  private final SqlState state;
  private final StreamReader reader;

  ColumnTypes(SqlState state, StreamReader reader) {
    this.state = state;
    this.reader = reader;
  }

  /**
   * The columns of stream {@code stream} for the fields {@code wanted} ({@link
   * SelectQuery#ALL_COLUMNS} for every field known), without the event-time column.
   *
   * @throws io.inlet.api.error.InletException StreamNotFound for an unknown stream
   */
  List<Column> resolve(String stream, Set<String> wanted) {
    List<Long> shards = reader.shards(stream); // throws StreamNotFound
    Map<String, String> known = registered(stream).orElseGet(() -> sample(stream, shards));
    List<Column> out = new ArrayList<>();
    Set<String> added = new java.util.HashSet<>();
    if (wanted.contains(SelectQuery.ALL_COLUMNS)) {
      known.forEach(
          (name, type) -> {
            if (!name.equals(SelectQuery.EVENT_TIME) && added.add(name)) {
              out.add(new Column(name, type));
            }
          });
    }
    for (String name : wanted) {
      if (name.equals(SelectQuery.ALL_COLUMNS)
          || name.equals(SelectQuery.EVENT_TIME)
          || !added.add(name)) {
        continue;
      }
      out.add(new Column(name, known.getOrDefault(name, "STRING")));
    }
    return out;
  }

  Optional<Map<String, String>> registered(String stream) {
    return state
        .schema(stream)
        .map(
            bytes -> {
              try {
                Map<String, String> out = new LinkedHashMap<>();
                for (ColumnCatalog c : Schema.parseFrom(bytes).getColumnsList()) {
                  out.put(c.getName(), flinkType(c.getType()));
                }
                return out;
              } catch (InvalidProtocolBufferException e) {
                return Map.of();
              }
            });
  }

  /** A schema's column type (HStreamDB's names, or Flink's) as a Flink SQL type. */
  static String flinkType(String type) {
    String t = type.trim().toUpperCase(Locale.ROOT);
    return switch (t) {
      case "INTEGER", "INT", "BIGINT", "LONG" -> "BIGINT";
      case "FLOAT", "DOUBLE", "NUMERIC", "DECIMAL", "REAL" -> "DOUBLE";
      case "BOOLEAN", "BOOL" -> "BOOLEAN";
      case "DATE" -> "DATE";
      case "TIME" -> "TIME(3)";
      case "TIMESTAMP" -> "TIMESTAMP_LTZ(3)";
      default -> "STRING";
    };
  }

  private Map<String, String> sample(String stream, List<Long> shards) {
    Map<String, String> out = new LinkedHashMap<>();
    for (long shard : shards) {
      long next = reader.nextLsn(shard);
      long from = Math.max(1, next - SAMPLE_BATCHES);
      for (ShardBatch batch : reader.read(shard, from, SAMPLE_BATCHES)) {
        for (HStreamRecord record : RecordBatches.decode(batch.batch())) {
          ObjectNode object = JsonRows.object(record);
          if (object != null) {
            observe(object, out);
          }
        }
      }
    }
    return out;
  }

  static void observe(ObjectNode object, Map<String, String> types) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String seen = typeOf(e.getValue());
      if (seen == null) {
        continue;
      }
      String before = types.get(e.getKey());
      if (before == null || (before.equals("BIGINT") && seen.equals("DOUBLE"))) {
        types.put(e.getKey(), seen);
      }
    }
  }

  private static String typeOf(JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return "BIGINT";
    }
    if (value.isNumber()) {
      return "DOUBLE";
    }
    if (value.isBoolean()) {
      return "BOOLEAN";
    }
    return "STRING";
  }
}
