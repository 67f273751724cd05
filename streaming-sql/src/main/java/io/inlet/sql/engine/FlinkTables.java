package io.inlet.sql.engine;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.naming.ObjectNames;
import io.inlet.api.state.KeyValueStore;
import io.inlet.sql.flink.InletConnectorOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;

/**
 * The Flink tables users declare with {@code FLINK CREATE TABLE ... WITH ('connector' = 'inlet',
 * 'stream' = ...)}: their DDL is kept in the node's store (namespace {@value #NAMESPACE}) and
 * declared in every job of a {@code FLINK} statement. Only tables over the {@code inlet} connector
 * are kept (a job of this node reads and writes this node's streams); a table without a {@code
 * target} reaches this node.
 */
final class FlinkTables {
  static final String NAMESPACE = "sql.flink.tables";

  private final KeyValueStore store;
  private final String connectorTarget;

  FlinkTables(KeyValueStore store, String connectorTarget) {
    this.store = store;
    this.connectorTarget = connectorTarget;
  }

  /** Every saved table's DDL, by table name. */
  Map<String, String> all() {
    Map<String, String> out = new HashMap<>();
    store.list(NAMESPACE).forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  /**
   * Checks a CREATE TABLE statement and saves it.
   *
   * @param isStream whether a name is a stream's (a table may not hide one)
   * @param streamExists whether the table's stream exists
   * @return the table's name
   */
  String create(String ddl, Predicate<String> isStream, Predicate<String> streamExists) {
    TableEnvironment env = FlinkSession.planner();
    Set<String> before = new HashSet<>(List.of(env.listTables()));
    try {
      env.executeSql(ddl);
    } catch (RuntimeException e) {
      throw SqlEngine.invalidSql(QueryDefinition.Kind.FLINK_INSERT, e);
    }
    List<String> added = new ArrayList<>(List.of(env.listTables()));
    added.removeAll(before);
    if (added.size() != 1) {
      throw new InletException(ErrorCode.QueryInvalidSQL, "expected one CREATE TABLE: " + ddl);
    }
    String name = added.get(0);
    Map<String, String> options = table(env, name).getOptions();
    if (!"inlet".equals(options.get("connector"))) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL,
          "table "
              + ObjectNames.quote(name)
              + ": only tables over the inlet connector are kept here (WITH ('connector' ="
              + " 'inlet', 'stream' = '...')); found connector "
              + options.get("connector"));
    }
    String stream = options.get(InletConnectorOptions.STREAM.key());
    if (stream == null) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL,
          "table " + ObjectNames.quote(name) + " needs the option 'stream' (the Inlet stream)");
    }
    if (!options.containsKey(InletConnectorOptions.TARGET.key()) && !streamExists.test(stream)) {
      throw InletException.streamNotFound(stream);
    }
    if (isStream.test(name)) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL,
          "table "
              + ObjectNames.quote(name)
              + " would hide the stream of that name (every stream is a table already); choose"
              + " another name");
    }
    if (store.get(NAMESPACE, name).isPresent()) {
      throw new InletException(
          ErrorCode.QueryInvalidSQL, "table " + ObjectNames.quote(name) + " exists");
    }
    store.put(NAMESPACE, name, ddl.getBytes(StandardCharsets.UTF_8));
    return name;
  }

  /** Deletes a saved table; false when there is none of that name. */
  boolean drop(String name) {
    return store.delete(NAMESPACE, name);
  }

  /**
   * Declares the tables in {@code env}; a table without a {@code target} gets this node's.
   *
   * @return the stream each table reads or writes, by table name
   */
  static Map<String, String> declare(TableEnvironment env, List<String> ddls, String target) {
    Map<String, String> streams = new HashMap<>();
    for (String ddl : ddls) {
      Set<String> before = new HashSet<>(List.of(env.listTables()));
      env.executeSql(ddl);
      for (String name : env.listTables()) {
        if (before.contains(name)) {
          continue;
        }
        CatalogTable table = table(env, name);
        Map<String, String> options = new HashMap<>(table.getOptions());
        streams.put(name, options.get(InletConnectorOptions.STREAM.key()));
        if (!options.containsKey(InletConnectorOptions.TARGET.key())) {
          options.put(InletConnectorOptions.TARGET.key(), target);
          alter(env, name, table.copy(options));
        }
      }
    }
    return streams;
  }

  /** {@link #declare} with this node's target. */
  Map<String, String> declare(TableEnvironment env, List<String> ddls) {
    return declare(env, ddls, connectorTarget);
  }

  private static CatalogTable table(TableEnvironment env, String name) {
    try {
      CatalogBaseTable t = catalog(env).getTable(path(env, name));
      if (t instanceof CatalogTable c) {
        return c;
      }
      throw new InletException(
          ErrorCode.QueryInvalidSQL, ObjectNames.quote(name) + " is a view, not a table");
    } catch (TableNotExistException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void alter(TableEnvironment env, String name, CatalogTable table) {
    try {
      catalog(env).alterTable(path(env, name), table, false);
    } catch (TableNotExistException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Catalog catalog(TableEnvironment env) {
    return env.getCatalog(env.getCurrentCatalog()).orElseThrow();
  }

  private static ObjectPath path(TableEnvironment env, String name) {
    return new ObjectPath(env.getCurrentDatabase(), name);
  }
}
