package io.inlet.cdc.sink;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Applies rows to one table in transactions: consecutive rows of the same shape share a batched
 * prepared statement; when the database refuses the batch for a row's sake (a constraint, a bad
 * value), the transaction is redone row by row under savepoints and each refused row is handed to
 * {@code refused} instead. A lost connection is thrown as is: the task restarts.
 */
final class TableWriter implements AutoCloseable {
  private final Connection connection;
  private final JdbcDialect dialect;
  private final String table;

  /** Prepared statements by what they write, so a row finds its statement without building SQL. */
  private final Map<StatementShape, Prepared> statements = new HashMap<>();

  /** The table's columns and their JDBC types, read once; empty when the driver did not say. */
  private Map<String, Integer> columnTypes;

  /** The last row's statement: consecutive rows mostly share it, found without hashing. */
  private SinkRow lastRow;

  private Prepared lastPrepared;

  private record StatementShape(boolean delete, List<String> columns, List<String> keys) {}

  /**
   * A prepared statement and, for each of its parameters, the JDBC type of its column (or {@link
   * Types#OTHER} when unknown), so every row binds each column with one type: the server keeps its
   * plan instead of preparing again when, say, a double column gets a whole number.
   */
  private record Prepared(PreparedStatement statement, int[] types) {}

  TableWriter(Connection connection, JdbcDialect dialect, String table) throws SQLException {
    this.connection = connection;
    this.dialect = dialect;
    this.table = table;
    connection.setAutoCommit(false);
  }

  /** The table's primary key columns, in key order; empty when it has none. */
  List<String> primaryKey() throws SQLException {
    String[] parts = table.split("\\.", 2);
    String schema = parts.length == 2 ? parts[0] : null;
    String name = parts.length == 2 ? parts[1] : table;
    Map<Integer, String> columns = new java.util.TreeMap<>();
    try (ResultSet keys =
        connection
            .getMetaData()
            .getPrimaryKeys(
                dialect == JdbcDialect.MYSQL ? connection.getCatalog() : null, schema, name)) {
      while (keys.next()) {
        columns.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
      }
    }
    return new ArrayList<>(columns.values());
  }

  /** The table's columns by name with their {@link Types}, as the driver describes them. */
  private Map<String, Integer> columnTypes() throws SQLException {
    if (columnTypes == null) {
      String[] parts = table.split("\\.", 2);
      String schema = parts.length == 2 ? parts[0] : null;
      String name = parts.length == 2 ? parts[1] : table;
      Map<String, Integer> types = new HashMap<>();
      try (ResultSet columns =
          connection
              .getMetaData()
              .getColumns(
                  dialect == JdbcDialect.MYSQL ? connection.getCatalog() : null,
                  schema,
                  name,
                  null)) {
        while (columns.next()) {
          types.put(columns.getString("COLUMN_NAME"), columns.getInt("DATA_TYPE"));
        }
      }
      columnTypes = types;
    }
    return columnTypes;
  }

  /** Whether the table exists (as the connection's user sees it). */
  boolean tableExists() throws SQLException {
    try (PreparedStatement probe =
        connection.prepareStatement("SELECT 1 FROM " + dialect.table(table) + " WHERE 1 = 0")) {
      probe.executeQuery().close();
      return true;
    } catch (SQLException e) {
      if (isConnectionLoss(e)) {
        throw e;
      }
      connection.rollback();
      return false;
    }
  }

  /** Applies the rows and commits; rows the table refuses go to {@code refused} with the error. */
  <T> void apply(List<T> items, Function<T, SinkRow> rows, BiConsumer<T, String> refused)
      throws SQLException {
    try {
      applyBatched(items, rows);
      connection.commit();
      return;
    } catch (SQLException e) {
      if (isConnectionLoss(e)) {
        throw e;
      }
      connection.rollback();
    }
    for (T item : items) {
      SinkRow row = rows.apply(item);
      Savepoint savepoint = connection.setSavepoint();
      try {
        Prepared prepared = statementFor(row);
        bind(prepared, row);
        prepared.statement().executeUpdate();
        connection.releaseSavepoint(savepoint);
      } catch (SQLException e) {
        if (isConnectionLoss(e)) {
          throw e;
        }
        connection.rollback(savepoint);
        refused.accept(item, describe(e));
      }
    }
    connection.commit();
  }

  private <T> void applyBatched(List<T> items, Function<T, SinkRow> rows) throws SQLException {
    PreparedStatement open = null;
    for (T item : items) {
      SinkRow row = rows.apply(item);
      Prepared prepared = statementFor(row);
      PreparedStatement statement = prepared.statement();
      if (open != null && open != statement) {
        open.executeBatch();
      }
      bind(prepared, row);
      statement.addBatch();
      open = statement;
    }
    if (open != null) {
      open.executeBatch();
    }
  }

  private Prepared statementFor(SinkRow row) throws SQLException {
    if (lastRow != null && sameShape(lastRow, row)) {
      lastRow = row;
      return lastPrepared;
    }
    List<String> columns = row.delete() ? List.of() : new ArrayList<>(row.columns().keySet());
    StatementShape shape = new StatementShape(row.delete(), columns, row.keyColumns());
    Prepared prepared = statements.get(shape);
    if (prepared == null) {
      String sql =
          row.delete()
              ? dialect.delete(table, row.keyColumns())
              : dialect.upsert(table, columns, row.keyColumns());
      List<String> parameters = row.delete() ? row.keyColumns() : columns;
      int[] types = new int[parameters.size()];
      for (int i = 0; i < types.length; i++) {
        types[i] = columnTypes().getOrDefault(parameters.get(i), Types.OTHER);
      }
      prepared = new Prepared(connection.prepareStatement(sql), types);
      statements.put(shape, prepared);
    }
    lastRow = row;
    lastPrepared = prepared;
    return prepared;
  }

  /** Whether two rows are written by the same statement: same kind, key and columns in order. */
  private static boolean sameShape(SinkRow a, SinkRow b) {
    if (a.delete() != b.delete() || !a.keyColumns().equals(b.keyColumns())) {
      return false;
    }
    if (a.delete()) {
      return true;
    }
    if (a.columns().size() != b.columns().size()) {
      return false;
    }
    Iterator<String> names = a.columns().keySet().iterator();
    for (String name : b.columns().keySet()) {
      if (!name.equals(names.next())) {
        return false;
      }
    }
    return true;
  }

  private static void bind(Prepared prepared, SinkRow row) throws SQLException {
    PreparedStatement statement = prepared.statement();
    int[] types = prepared.types();
    int i = 0;
    if (row.delete()) {
      for (String key : row.keyColumns()) {
        setValue(statement, i + 1, types[i], row.columns().get(key));
        i++;
      }
      return;
    }
    for (Object value : row.columns().values()) {
      setValue(statement, i + 1, types[i], value);
      i++;
    }
  }

  /**
   * Binds a JSON value to a parameter, as the column's type where a JSON number could go either way
   * (a whole number for a floating-point or decimal column), and a null as the column's type.
   */
  private static void setValue(PreparedStatement statement, int index, int type, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, type == Types.OTHER ? Types.NULL : type);
      return;
    }
    switch (type) {
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
        if (value instanceof Number n) {
          statement.setDouble(index, n.doubleValue());
          return;
        }
      }
      case Types.NUMERIC, Types.DECIMAL -> {
        if (value instanceof Long l) {
          statement.setBigDecimal(index, BigDecimal.valueOf(l));
          return;
        }
        if (value instanceof Double d) {
          statement.setBigDecimal(index, BigDecimal.valueOf(d));
          return;
        }
      }
      default -> {
        // bound as the JSON value's own type below
      }
    }
    statement.setObject(index, value);
  }

  static boolean isConnectionLoss(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof java.io.IOException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  static String describe(SQLException e) {
    String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
    return e.getMessage() + state;
  }

  @Override
  public void close() {
    for (Prepared prepared : statements.values()) {
      try {
        prepared.statement().close();
      } catch (SQLException ignored) {
        // closing with the connection anyway
      }
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the connection may be the one that broke
    }
  }
}
