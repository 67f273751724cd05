package io.inlet.bench.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;

/**
 * The benchmark's source table in MariaDB, {@code readings(id, device, v, at_ms)}, where {@code
 * at_ms} is the wall-clock time the writer built the row (end-to-end lag is measured against it).
 * Rows are written in multi-row INSERTs of {@code batch} rows, one transaction each.
 */
final class BenchTable {
  static final String TABLE = "readings";

  private final String hostPort;
  private final String database;

  BenchTable(String hostPort, String database) {
    this.hostPort = hostPort;
    this.database = database;
  }

  String database() {
    return database;
  }

  /** Drops and creates the database and its empty table. */
  void recreate() throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:mariadb://" + hostPort + "/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
      s.execute("CREATE DATABASE " + database);
      s.execute(
          "CREATE TABLE "
              + database
              + "."
              + TABLE
              + " (id BIGINT PRIMARY KEY, device VARCHAR(32) NOT NULL, v DOUBLE NOT NULL,"
              + " at_ms BIGINT NOT NULL)");
    }
  }

  void drop() throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:mariadb://" + hostPort + "/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
    }
  }

  /**
   * Inserts ids {@code from..to} (inclusive) as fast as MariaDB takes them; {@code committed} is
   * told the last id after each commit.
   */
  void insert(long from, long to, int batch, LongConsumer committed) throws SQLException {
    try (Connection c =
        DriverManager.getConnection("jdbc:mariadb://" + hostPort + "/" + database, "root", "")) {
      PreparedStatement full = c.prepareStatement(insertSql(batch));
      long id = from;
      while (id <= to) {
        int n = (int) Math.min(batch, to - id + 1);
        PreparedStatement statement = n == batch ? full : c.prepareStatement(insertSql(n));
        long now = System.currentTimeMillis();
        int p = 1;
        for (int i = 0; i < n; i++, id++) {
          statement.setLong(p++, id);
          statement.setString(p++, "device-" + (id % 1000));
          statement.setDouble(p++, (id % 10_000) / 100.0);
          statement.setLong(p++, now);
        }
        statement.executeUpdate();
        committed.accept(id - 1);
        if (statement != full) {
          statement.close();
        }
      }
      full.close();
    }
  }

  private static String insertSql(int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
    }
    return sql.toString();
  }
}
