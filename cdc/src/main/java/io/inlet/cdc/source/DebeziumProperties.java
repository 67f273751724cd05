package io.inlet.cdc.source;

import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.config.ConnectorSpec;
import io.inlet.cdc.config.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Translates a source connector's config into the properties of Debezium's engine and connector:
 * HStreamDB's keys to Debezium's ({@code host} to {@code database.hostname}, {@code table} to
 * {@code table.include.list}, ...), Inlet's state stores for offsets and schema history, and every
 * other key as given.
 */
public final class DebeziumProperties {
  /** Keys of the spec that are Inlet's, not Debezium's. */
  private static final Set<String> INLET_KEYS =
      Set.of(
          ConnectorSpec.STREAM,
          ConnectorSpec.HOST,
          ConnectorSpec.PORT,
          ConnectorSpec.USER,
          ConnectorSpec.PASSWORD_KEY,
          ConnectorSpec.DATABASE,
          ConnectorSpec.TABLE,
          ConnectorSpec.STREAM_SHARDS,
          ConnectorSpec.BACKOFF_INITIAL_MS,
          ConnectorSpec.BACKOFF_MAX_MS);

  /** Debezium's key for each HStreamDB key, to name the user's key in Debezium's errors. */
  static final Map<String, String> USER_KEY_OF =
      Map.of(
          "database.hostname", ConnectorSpec.HOST,
          "database.port", ConnectorSpec.PORT,
          "database.user", ConnectorSpec.USER,
          "database.password", ConnectorSpec.PASSWORD_KEY,
          "database.dbname", ConnectorSpec.DATABASE,
          "database.names", ConnectorSpec.DATABASE,
          "database.include.list", ConnectorSpec.DATABASE,
          "table.include.list", ConnectorSpec.TABLE);

  private DebeziumProperties() {}

  public static String connectorClass(Target target) {
    return switch (target) {
      case MYSQL -> "io.debezium.connector.mysql.MySqlConnector";
      case MARIADB -> "io.debezium.connector.mariadb.MariaDbConnector";
      case POSTGRESQL -> "io.debezium.connector.postgresql.PostgresConnector";
      case SQLSERVER -> "io.debezium.connector.sqlserver.SqlServerConnector";
    };
  }

  /** The connector's properties (what {@code Connector.validate} checks). */
  public static Properties connector(String name, ConnectorConfig config) {
    Target target = config.spec().target();
    Properties props = new Properties();
    props.setProperty("name", name);
    props.setProperty("connector.class", connectorClass(target));
    props.setProperty("topic.prefix", name);
    props.setProperty("database.hostname", config.get(ConnectorSpec.HOST));
    props.setProperty("database.port", config.get(ConnectorSpec.PORT));
    props.setProperty("database.user", config.get(ConnectorSpec.USER));
    props.setProperty("database.password", config.get(ConnectorSpec.PASSWORD_KEY));
    String database = config.get(ConnectorSpec.DATABASE);
    List<String> tables = tables(config.get(ConnectorSpec.TABLE));
    switch (target) {
      case MYSQL, MARIADB -> {
        props.setProperty("database.include.list", database);
        props.setProperty("table.include.list", qualified(database, tables));
        props.setProperty("database.server.id", Long.toString(serverId(name)));
      }
      case POSTGRESQL -> {
        props.setProperty("database.dbname", database);
        props.setProperty("table.include.list", qualified("public", tables));
        props.setProperty("plugin.name", "pgoutput");
        String slot = slotName(name);
        props.setProperty("slot.name", slot);
        props.setProperty("publication.name", slot);
      }
      case SQLSERVER -> {
        props.setProperty("database.names", database);
        props.setProperty("table.include.list", qualified("dbo", tables));
      }
    }
    config
        .values()
        .forEach(
            (key, value) -> {
              if (!INLET_KEYS.contains(key) && value != null) {
                props.setProperty(key, value);
              }
            });
    return props;
  }

  /** The engine's properties: the connector's plus where Inlet keeps offsets and history. */
  public static Properties engine(String name, ConnectorConfig config, String stateId) {
    Properties props = connector(name, config);
    props.setProperty("offset.storage", StoreOffsetBackingStore.class.getName());
    props.setProperty(StateHandles.KEY, stateId);
    props.setProperty("schema.history.internal", StoreSchemaHistory.class.getName());
    props.setProperty("schema.history.internal." + StateHandles.KEY, stateId);
    return props;
  }

  /** PostgreSQL's slot (and publication) name for a connector: inlet_ and a sanitised name. */
  public static String slotName(String connector) {
    StringBuilder out = new StringBuilder("inlet_");
    for (char c : connector.toLowerCase(Locale.ROOT).toCharArray()) {
      out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
    }
    return out.length() > 63 ? out.substring(0, 63) : out.toString();
  }

  /** A stable binlog replica id per connector name, in Debezium's usual range 5400..6399. */
  static long serverId(String connector) {
    return 5400 + Math.floorMod(connector.hashCode(), 1000);
  }

  static List<String> tables(String text) {
    List<String> tables = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        tables.add(part.trim());
      }
    }
    return tables;
  }

  private static String qualified(String prefix, List<String> tables) {
    List<String> out = new ArrayList<>();
    for (String table : tables) {
      out.add(table.contains(".") ? table : prefix + "." + table);
    }
    return String.join(",", out);
  }
}
