package io.inlet.bench.cdc;

import io.inlet.cdc.ConnectorRuntime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * The JDBC sink against plain JDBC on PostgreSQL (database and user {@code inlet_cdc}): the sink
 * writes the source stream's change records into a table (upsert by key, {@code batch} records per
 * transaction); plain JDBC inserts the same rows with batched INSERTs and with batched upserts (the
 * statement the sink uses), {@code batch} rows per transaction, with the driver's defaults or (as
 * the sink's connection) with reWriteBatchedInserts.
 */
final class SinkComparison {
  static final String SINK = "bench-sink";

  private final String hostPort;
  private final int batch;

  SinkComparison(String hostPort, int batch) {
    this.hostPort = hostPort;
    this.batch = batch;
  }

  private Connection connect() throws SQLException {
    return connect(false);
  }

  /**
   * A connection as user inlet_cdc; {@code rewritten}: with the driver's reWriteBatchedInserts,
   * which the sink's connections use (a batch sent as multi-row INSERTs).
   */
  private Connection connect(boolean rewritten) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "inlet_cdc");
    props.setProperty("password", "inlet_cdc");
    if (rewritten) {
      props.setProperty("reWriteBatchedInserts", "true");
    }
    return DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/inlet_cdc", props);
  }

  void recreate(String table) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute(
          "CREATE TABLE "
              + table
              + " (id BIGINT PRIMARY KEY, device VARCHAR(32) NOT NULL, v DOUBLE PRECISION NOT NULL,"
              + " at_ms BIGINT NOT NULL)");
    }
  }

  void drop(String table) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  /** Starts the sink connector from the stream's start into {@code table}. */
  void startSink(ConnectorRuntime runtime, String stream, String table) {
    String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
    String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    runtime.create(
        SINK,
        "SINK",
        "postgresql",
        Map.of(
            "stream",
            stream,
            "host",
            host,
            "port",
            port,
            "user",
            "inlet_cdc",
            "password",
            "inlet_cdc",
            "database",
            "inlet_cdc",
            "table",
            table,
            "batch.size",
            Integer.toString(batch)));
  }

  /**
   * Writes rows 1..rows (the values the source table holds) with plain JDBC batches; {@code
   * rewritten}: with the driver's reWriteBatchedInserts, as the sink's connection.
   */
  void plain(String table, long rows, boolean upsert, boolean rewritten) throws SQLException {
    String sql =
        "INSERT INTO "
            + table
            + " (id, device, v, at_ms) VALUES (?, ?, ?, ?)"
            + (upsert
                ? " ON CONFLICT (id) DO UPDATE SET device = EXCLUDED.device, v = EXCLUDED.v,"
                    + " at_ms = EXCLUDED.at_ms"
                : "");
    try (Connection c = connect(rewritten);
        PreparedStatement insert = c.prepareStatement(sql)) {
      c.setAutoCommit(false);
      long now = System.currentTimeMillis();
      for (long id = 1; id <= rows; id++) {
        insert.setLong(1, id);
        insert.setString(2, "device-" + (id % 1000));
        insert.setDouble(3, (id % 10_000) / 100.0);
        insert.setLong(4, now);
        insert.addBatch();
        if (id % batch == 0 || id == rows) {
          insert.executeBatch();
          c.commit();
        }
      }
    }
  }
}
