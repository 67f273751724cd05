package io.inlet.cdc.sink;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prepared statements of one transaction in flight, by {@link RowShape}, and the rows bound to
 * them. A {@link TableWriter} keeps a few, so that the sink's loop binds the next transaction's
 * rows into one set while the writer thread executes the previous transaction's set on the same
 * connection: binding (the driver's parameter encoding) is then off the path the database waits on.
 *
 * <p>Rows are bound ahead as runs: consecutive rows of one shape go into one statement's batch, and
 * the runs execute in order. A shape that comes back after another within one transaction cannot
 * join its statement's batch without reordering rows, so such a transaction is not bound ahead
 * ({@link #boundAhead()} false) and the writer binds it run by run as it executes.
 */
final class StatementSet {
  /** Prepares the statement of a shape: its SQL and, per parameter, the column's JDBC type. */
  interface Preparer {
    Prepared prepare(RowShape shape) throws SQLException;
  }

  /**
   * A prepared statement and, for each of its parameters, the JDBC type of its column (or {@link
   * Types#OTHER} when unknown), so every row binds each column with one type: the server keeps its
   * plan instead of preparing again when, say, a double column gets a whole number.
   */
  record Prepared(PreparedStatement statement, int[] types) {}

  private final Preparer preparer;
  private final Map<RowShape, Prepared> statements = new HashMap<>();

  /** The last row's statement: consecutive rows share their shape's instance, found by identity. */
  private RowShape lastShape;

  private Prepared lastPrepared;

  /** The statements whose batches hold the rows bound ahead, in execution order. */
  private final List<PreparedStatement> runs = new ArrayList<>();

  private boolean boundAhead;

  StatementSet(Preparer preparer) {
    this.preparer = preparer;
  }

  /**
   * Binds the rows as runs to execute later with {@link #executeRuns}; binds nothing when a shape
   * comes back after another ({@link #boundAhead()} then says so).
   */
  void bindAhead(List<SinkRow> rows) throws SQLException {
    PreparedStatement open = null;
    for (SinkRow row : withoutReplaced(rows)) {
      Prepared prepared = statementFor(row);
      PreparedStatement statement = prepared.statement();
      if (statement != open) {
        if (runs.contains(statement)) {
          clear();
          return;
        }
        runs.add(statement);
        open = statement;
      }
      bind(prepared, row);
      statement.addBatch();
    }
    boundAhead = true;
  }

  boolean boundAhead() {
    return boundAhead;
  }

  /** Sends the runs bound ahead, in order. */
  void executeRuns() throws SQLException {
    for (PreparedStatement statement : runs) {
      statement.executeBatch();
    }
  }

  /** Binds and sends the rows run by run, each run once the one before it has executed. */
  void execute(List<SinkRow> rows) throws SQLException {
    PreparedStatement open = null;
    for (SinkRow row : withoutReplaced(rows)) {
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

  /**
   * The rows less each upsert that a later upsert of the same key in the same run replaces: they
   * bind the same columns, so the table ends the same, and a batch must not hold a key twice (a
   * multi-row {@code INSERT ... ON CONFLICT DO UPDATE}, which PostgreSQL's driver makes of a batch,
   * refuses to update one row twice, and the whole transaction would be redone row by row).
   */
  static List<SinkRow> withoutReplaced(List<SinkRow> rows) {
    boolean[] replaced = null;
    Set<List<Object>> later = new HashSet<>();
    RowShape run = null;
    for (int i = rows.size() - 1; i >= 0; i--) {
      SinkRow row = rows.get(i);
      if (!row.shape().equals(run)) {
        run = row.shape();
        later.clear();
      }
      if (!row.delete() && !later.add(run.keyOf(row.values()))) {
        if (replaced == null) {
          replaced = new boolean[rows.size()];
        }
        replaced[i] = true;
      }
    }
    if (replaced == null) {
      return rows;
    }
    List<SinkRow> kept = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      if (!replaced[i]) {
        kept.add(rows.get(i));
      }
    }
    return kept;
  }

  /** Writes one row on its own (the row-by-row retry of a refused transaction). */
  void executeOne(SinkRow row) throws SQLException {
    Prepared prepared = statementFor(row);
    bind(prepared, row);
    prepared.statement().executeUpdate();
  }

  /** Drops whatever is bound and not sent, so the set can take the next transaction. */
  void clear() throws SQLException {
    for (Prepared prepared : statements.values()) {
      prepared.statement().clearBatch();
    }
    runs.clear();
    boundAhead = false;
  }

  void close() {
    for (Prepared prepared : statements.values()) {
      try {
        prepared.statement().close();
      } catch (SQLException ignored) {
        // closing with the connection anyway
      }
    }
  }

  private Prepared statementFor(SinkRow row) throws SQLException {
    RowShape shape = row.shape();
    if (shape == lastShape) {
      return lastPrepared;
    }
    Prepared prepared = statements.get(shape);
    if (prepared == null) {
      prepared = preparer.prepare(shape);
      statements.put(shape, prepared);
    }
    lastShape = shape;
    lastPrepared = prepared;
    return prepared;
  }

  private static void bind(Prepared prepared, SinkRow row) throws SQLException {
    PreparedStatement statement = prepared.statement();
    int[] types = prepared.types();
    Object[] values = row.values();
    for (int i = 0; i < values.length; i++) {
      setValue(statement, i + 1, types[i], values[i]);
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
}
