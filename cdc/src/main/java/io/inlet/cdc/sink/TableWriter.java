package io.inlet.cdc.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
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
  private final Map<StatementShape, PreparedStatement> statements = new HashMap<>();

  private record StatementShape(boolean delete, List<String> columns, List<String> keys) {}

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
        PreparedStatement statement = statementFor(row);
        bind(statement, row);
        statement.executeUpdate();
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
      PreparedStatement statement = statementFor(row);
      if (open != null && open != statement) {
        open.executeBatch();
      }
      bind(statement, row);
      statement.addBatch();
      open = statement;
    }
    if (open != null) {
      open.executeBatch();
    }
  }

  private PreparedStatement statementFor(SinkRow row) throws SQLException {
    List<String> columns = row.delete() ? List.of() : new ArrayList<>(row.columns().keySet());
    StatementShape shape = new StatementShape(row.delete(), columns, row.keyColumns());
    PreparedStatement statement = statements.get(shape);
    if (statement == null) {
      String sql =
          row.delete()
              ? dialect.delete(table, row.keyColumns())
              : dialect.upsert(table, columns, row.keyColumns());
      statement = connection.prepareStatement(sql);
      statements.put(shape, statement);
    }
    return statement;
  }

  private static void bind(PreparedStatement statement, SinkRow row) throws SQLException {
    int i = 1;
    if (row.delete()) {
      for (String key : row.keyColumns()) {
        setValue(statement, i++, row.columns().get(key));
      }
      return;
    }
    for (Object value : row.columns().values()) {
      setValue(statement, i++, value);
    }
  }

  private static void setValue(PreparedStatement statement, int index, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.NULL);
    } else {
      statement.setObject(index, value);
    }
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
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
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
