package io.inlet.cdc.config;

import static io.inlet.cdc.config.ConfigKey.ValueType.BOOLEAN;
import static io.inlet.cdc.config.ConfigKey.ValueType.INTEGER;
import static io.inlet.cdc.config.ConfigKey.ValueType.PASSWORD;
import static io.inlet.cdc.config.ConfigKey.ValueType.STRING;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every key a connector of one type and target takes: HStreamDB's keys ({@code
 * hstreamdb/hstream-connectors} specs: stream, host, port, user, password, database, table, and the
 * {@code task.*} keys of its sinks), Inlet's runtime keys, and, for sources, the Debezium keys
 * Inlet sets differently from Debezium (any other Debezium key is passed through as given). {@link
 * #toJsonSchema()} is what GetConnectorSpec returns.
 */
public final class ConnectorSpec {
  public static final String STREAM = "stream";
  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String USER = "user";
  public static final String PASSWORD_KEY = "password";
  public static final String DATABASE = "database";
  public static final String TABLE = "table";

  public static final String STREAM_SHARDS = "stream.shards";
  public static final String BACKOFF_INITIAL_MS = "restart.backoff.initial.ms";
  public static final String BACKOFF_MAX_MS = "restart.backoff.max.ms";

  public static final String ERROR_STREAM = "task.error.stream";
  public static final String SPECIAL_OFFSET = "task.reader.specialOffset";
  public static final String BATCH_SIZE = "batch.size";
  public static final String POSITION_INTERVAL_MS = "position.store.interval.ms";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConnectorType type;
  private final Target target;
  private final List<ConfigKey> keys;

  private ConnectorSpec(ConnectorType type, Target target, List<ConfigKey> keys) {
    this.type = type;
    this.target = target;
    this.keys = List.copyOf(keys);
  }

  public static ConnectorSpec of(ConnectorType type, Target target) {
    List<ConfigKey> keys = new ArrayList<>(connectionKeys(type, target));
    keys.add(
        ConfigKey.optional(
                BACKOFF_INITIAL_MS,
                INTEGER,
                "1000",
                "after a failure (the database is down, say) the connector restarts after this"
                    + " delay, doubled at each failure in a row up to restart.backoff.max.ms")
            .range(10, 3_600_000));
    keys.add(
        ConfigKey.optional(BACKOFF_MAX_MS, INTEGER, "30000", "the longest delay between restarts")
            .range(10, 3_600_000));
    keys.addAll(type == ConnectorType.SOURCE ? sourceKeys(target) : sinkKeys());
    return new ConnectorSpec(type, target, keys);
  }

  private static List<ConfigKey> connectionKeys(ConnectorType type, Target target) {
    String db = target.id();
    boolean source = type == ConnectorType.SOURCE;
    String tableHelp =
        source
            ? "the table(s) to capture, comma-separated; "
                + (target == Target.POSTGRESQL
                    ? "schema-qualified (public.t1) or not (t1 means public.t1)"
                    : target == Target.SQLSERVER
                        ? "schema-qualified (dbo.t1) or not (t1 means dbo.t1)"
                        : "names within the database (t1)")
            : "the table the stream's records are upserted into (and deleted from)";
    return List.of(
        ConfigKey.required(
            STREAM,
            STRING,
            source
                ? "the stream the changes go to; created (with stream.shards shards) with the connector"
                    + " when missing"
                : "the stream whose records are written to the table"),
        ConfigKey.required(HOST, STRING, db + " hostname"),
        ConfigKey.optional(PORT, INTEGER, Integer.toString(target.defaultPort()), db + " port")
            .range(1, 65535),
        ConfigKey.required(USER, STRING, db + " user"),
        ConfigKey.optional(PASSWORD_KEY, PASSWORD, "", "password of the user"),
        ConfigKey.required(DATABASE, STRING, db + " database name"),
        ConfigKey.required(TABLE, STRING, tableHelp));
  }

  private static List<ConfigKey> sourceKeys(Target target) {
    List<ConfigKey> keys = new ArrayList<>();
    keys.add(
        ConfigKey.optional(
                STREAM_SHARDS, INTEGER, "1", "shards of the stream when the connector creates it")
            .range(1, 1024));
    keys.add(
        ConfigKey.optional(
                "snapshot.mode",
                STRING,
                "initial",
                "Debezium: initial copies the tables first, then streams changes; no_data streams"
                    + " changes only; when_needed, always and initial_only as Debezium documents")
            .oneOf("initial", "no_data", "when_needed", "always", "initial_only", "recovery"));
    keys.add(
        ConfigKey.optional(
                "offset.flush.interval.ms",
                INTEGER,
                "0",
                "Debezium: how often the source position is committed; 0 commits it after every"
                    + " batch, once the batch is durable in the stream (smallest replay after a"
                    + " crash); otherwise at most once per interval, and at the latest one interval"
                    + " after a batch is durable, even when no change follows")
            .range(0, 3_600_000));
    keys.add(
        ConfigKey.optional(
                "max.batch.size",
                INTEGER,
                "2048",
                "Debezium: changes per batch; a batch is appended (and its position committed)"
                    + " as a unit, so at most one batch is replayed after a crash")
            .range(1, 1_000_000));
    keys.add(
        ConfigKey.optional(
                "max.queue.size",
                INTEGER,
                "8192",
                "Debezium: changes read ahead of the stream; must exceed max.batch.size")
            .range(2, 10_000_000));
    keys.add(
        ConfigKey.optional(
                "errors.max.retries",
                INTEGER,
                "0",
                "Debezium: retries inside the engine; Inlet's default 0 lets the connector fail"
                    + " visibly (status FAILED) and restart with backoff")
            .range(-1, 1_000_000));
    keys.add(
        ConfigKey.optional(
                "decimal.handling.mode",
                STRING,
                "string",
                "Debezium: DECIMAL/NUMERIC values as exact strings (string), JSON numbers"
                    + " (double) or precise (rendered as strings as well)")
            .oneOf("string", "double", "precise"));
    keys.add(
        ConfigKey.optional(
            "tombstones.on.delete",
            BOOLEAN,
            "false",
            "Debezium: a delete is one record whose value is null; no extra tombstone"));
    keys.add(
        ConfigKey.optional(
            "include.schema.changes",
            BOOLEAN,
            "false",
            "Debezium: schema changes are followed (kept in the store) but not written to the"
                + " stream"));
    switch (target) {
      case MYSQL, MARIADB ->
          keys.add(
              ConfigKey.optional(
                      "database.server.id",
                      INTEGER,
                      null,
                      "Debezium: the replica id the connector uses in the binlog protocol;"
                          + " default: derived from the connector name (5400..6399)")
                  .range(1, 4_294_967_295L));
      case POSTGRESQL -> {
        keys.add(
            ConfigKey.optional(
                "slot.name",
                STRING,
                null,
                "Debezium: the logical replication slot; default: inlet_ and the connector name"
                    + " in lower case with other characters as _ (dropped with the connector)"));
        keys.add(
            ConfigKey.optional(
                "publication.name",
                STRING,
                null,
                "Debezium: the pgoutput publication; default: the slot name"));
        keys.add(
            ConfigKey.optional(
                    "publication.autocreate.mode",
                    STRING,
                    "filtered",
                    "Debezium: filtered creates the publication for the captured tables only"
                        + " (the user must own them); all_tables needs a superuser")
                .oneOf("filtered", "all_tables", "disabled", "no_tables"));
      }
      case SQLSERVER ->
          keys.add(
              ConfigKey.optional(
                  "database.encrypt",
                  BOOLEAN,
                  "false",
                  "Debezium/JDBC: encrypt the connection to SQL Server"));
    }
    return keys;
  }

  private static List<ConfigKey> sinkKeys() {
    return List.of(
        ConfigKey.optional(
            ERROR_STREAM,
            STRING,
            null,
            "the dead-letter stream: a record the table refuses goes there with the error, and"
                + " the connector goes on; default: the connector name followed by -dlq"),
        ConfigKey.optional(
                SPECIAL_OFFSET,
                STRING,
                "EARLIEST",
                "where a new sink starts reading each shard: EARLIEST or LATEST; afterwards it"
                    + " resumes from its stored position")
            .oneOf("EARLIEST", "LATEST"),
        ConfigKey.optional(
                BATCH_SIZE,
                INTEGER,
                "1000",
                "records per database transaction; the position is stored after the commit")
            .range(1, 100_000),
        ConfigKey.optional(
                POSITION_INTERVAL_MS,
                INTEGER,
                "1000",
                "how often each shard's position is stored (fsync'd), at most; after a crash the"
                    + " sink writes again what the database committed since (at-least-once,"
                    + " idempotent by key); 0 stores after every transaction")
            .range(0, 3_600_000));
  }

  public ConnectorType type() {
    return type;
  }

  public Target target() {
    return target;
  }

  public List<ConfigKey> keys() {
    return keys;
  }

  public Optional<ConfigKey> key(String name) {
    return keys.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** Sources pass keys they do not list to Debezium; sinks refuse them. */
  public boolean passesOtherKeys() {
    return type == ConnectorType.SOURCE;
  }

  /** The JSON schema (draft 2020-12) of the config: every key with its type, default, meaning. */
  public String toJsonSchema() {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    String title = type.name().toLowerCase(Locale.ROOT) + "-" + target.id();
    schema.put("title", title);
    schema.put(
        "description",
        "the configuration of "
            + title
            + (passesOtherKeys()
                ? "; any other key is passed to Debezium's " + target.id() + " connector as given"
                : "; no other key is accepted"));
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = schema.putArray("required");
    for (ConfigKey key : keys) {
      ObjectNode property = properties.putObject(key.name());
      property.put("description", key.description());
      property.put(
          "type",
          switch (key.type()) {
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            case STRING, PASSWORD -> "string";
          });
      if (key.type() == PASSWORD) {
        property.put("writeOnly", true);
      }
      if (key.defaultValue() != null) {
        switch (key.type()) {
          case INTEGER -> property.put("default", Long.parseLong(key.defaultValue()));
          case BOOLEAN -> property.put("default", Boolean.parseBoolean(key.defaultValue()));
          default -> property.put("default", key.defaultValue());
        }
      }
      if (!key.choices().isEmpty()) {
        ArrayNode values = property.putArray("enum");
        key.choices().forEach(values::add);
      }
      if (key.type() == INTEGER && key.min() != Long.MIN_VALUE) {
        property.put("minimum", key.min());
        property.put("maximum", key.max());
      }
      if (key.required()) {
        required.add(key.name());
      }
    }
    schema.put("additionalProperties", passesOtherKeys());
    return schema.toPrettyString();
  }
}
