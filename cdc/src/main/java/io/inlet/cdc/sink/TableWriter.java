package io.inlet.cdc.sink;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies rows to one table in transactions: consecutive rows of the same shape share a batched
 * prepared statement; when the database refuses the batch for a row's sake (a constraint, a bad
 * value), the transaction is redone row by row under savepoints and each refused row is handed to
 * {@code refused} instead. A lost connection is thrown as is: the task restarts.
 *
 * <p>Two threads use it: the sink's loop binds each transaction's rows ahead into a free {@link
 * StatementSet} ({@link #bind}), and the writer thread executes and commits it ({@link #apply}),
 * which frees the set again. Both share the connection, which the driver serializes.
 */
final class TableWriter implements AutoCloseable {
  /**
   * Statement sets: one being bound, those waiting in the sink's pipeline, one executing. Beyond
   * that {@link #bind} waits for one to be freed.
   */
  static final int SETS = JdbcSinkTask.WAITING_TRANSACTIONS + 2;

  private static final long LEASE_POLL_MS = 100;

  private final Connection connection;
  private final JdbcDialect dialect;
  private final String table;
  private final List<StatementSet> sets = new ArrayList<>();
  private final BlockingQueue<StatementSet> free = new ArrayBlockingQueue<>(SETS);

  /**
   * The table's columns and their JDBC types, read when the sink starts (before its two threads
   * share the connection); empty when the driver did not say.
   */
  private final Map<String, Integer> columnTypes;

  TableWriter(Connection connection, JdbcDialect dialect, String table) throws SQLException {
    this.connection = connection;
    this.dialect = dialect;
    this.table = table;
    try {
      connection.setAutoCommit(false);
      this.columnTypes = readColumnTypes();
    } catch (SQLException e) {
      close(connection);
      throw e;
    }
    for (int i = 0; i < SETS; i++) {
      StatementSet set = new StatementSet(this::prepare);
      sets.add(set);
      free.add(set);
    }
  }

  /** The table's primary key columns, in key order; empty when it has none. */
  List<String> primaryKey() throws SQLException {
    TableName name = TableName.of(table);
    Map<Integer, String> columns = new TreeMap<>();
    try (ResultSet keys =
        connection.getMetaData().getPrimaryKeys(catalog(), name.schema(), name.table())) {
      while (keys.next()) {
        columns.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
      }
    }
    return new ArrayList<>(columns.values());
  }

  /** The table's columns by name with their {@link Types}, as the driver describes them. */
  private Map<String, Integer> readColumnTypes() throws SQLException {
    TableName name = TableName.of(table);
    Map<String, Integer> types = new HashMap<>();
    try (ResultSet columns =
        connection.getMetaData().getColumns(catalog(), name.schema(), name.table(), null)) {
      while (columns.next()) {
        types.put(columns.getString("COLUMN_NAME"), columns.getInt("DATA_TYPE"));
      }
    }
    connection.commit();
    return Map.copyOf(types);
  }

  /** The catalog to look the table up in: MySQL's catalogs are its databases. */
  private String catalog() throws SQLException {
    return dialect == JdbcDialect.MYSQL ? connection.getCatalog() : null;
  }

  /** A table name as the driver's metadata takes it: {@code schema.table}, or no schema. */
  private record TableName(String schema, String table) {
    static TableName of(String name) {
      String[] parts = name.split("\\.", 2);
      return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, name);
    }
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

  /**
   * On the sink's loop: binds a transaction's rows ahead into a free statement set, waiting for one
   * while every set is in flight ({@code whileWaiting} runs at each wait: it throws to give up).
   */
  StatementSet bind(List<SinkRow> rows, Runnable whileWaiting)
      throws SQLException, InterruptedException {
    StatementSet set;
    while ((set = free.poll(LEASE_POLL_MS, TimeUnit.MILLISECONDS)) == null) {
      whileWaiting.run();
    }
    try {
      set.bindAhead(rows);
    } catch (SQLException | RuntimeException e) {
      release(set);
      throw e;
    }
    return set;
  }

  /**
   * On the writer thread: applies the rows bound into {@code set} (or binds them now, where they
   * could not be bound ahead) and commits. When the database refuses the batches, {@code redone} is
   * told why and the rows are written one by one, those the table refuses going to {@code refused}
   * with the error. Frees the set.
   */
  <T> void apply(
      StatementSet set,
      List<T> items,
      Function<T, SinkRow> rows,
      BiConsumer<T, String> refused,
      Consumer<String> redone)
      throws SQLException {
    try {
      String refusal = applyBatched(set, items, rows);
      if (refusal == null) {
        return;
      }
      redone.accept(refusal);
      for (T item : items) {
        Savepoint savepoint = connection.setSavepoint();
        try {
          set.executeOne(rows.apply(item));
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
    } finally {
      release(set);
    }
  }

  /**
   * Sends the batches and commits; returns null, or after the database refused them (and the
   * transaction was rolled back) why.
   */
  private <T> String applyBatched(StatementSet set, List<T> items, Function<T, SinkRow> rows)
      throws SQLException {
    try {
      if (set.boundAhead()) {
        set.executeRuns();
      } else {
        set.execute(items.stream().map(rows).toList());
      }
      connection.commit();
      return null;
    } catch (SQLException e) {
      if (isConnectionLoss(e)) {
        throw e;
      }
      connection.rollback();
      set.clear();
      return describe(e);
    }
  }

  private void release(StatementSet set) {
    try {
      set.clear();
    } catch (SQLException ignored) {
      // a statement that cannot clear its batch belongs to a closed or broken connection: the
      // task is ending with it
    }
    free.add(set);
  }

  private StatementSet.Prepared prepare(RowShape shape) throws SQLException {
    List<String> parameters = shape.parameters();
    String sql =
        shape.delete()
            ? dialect.delete(table, shape.keys())
            : dialect.upsert(table, parameters, shape.keys());
    int[] types = new int[parameters.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = columnTypes.getOrDefault(parameters.get(i), Types.OTHER);
    }
    return new StatementSet.Prepared(connection.prepareStatement(sql), types);
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
    sets.forEach(StatementSet::close);
    close(connection);
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the connection may be the one that broke
    }
  }
}
