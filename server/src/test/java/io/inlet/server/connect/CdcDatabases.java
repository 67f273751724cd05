package io.inlet.server.connect;

import io.inlet.testing.RequiredServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The MariaDB and PostgreSQL that connector tests capture from and write to, prepared by {@code
 * .ci/cdc-databases.sh} (binlog ROW, logical WAL, the CDC user {@code inlet_cdc}). Found from
 * {@code INLET_IT_MARIADB} and {@code INLET_IT_POSTGRES} ({@code host:port}); without them the test
 * is skipped, or fails in CI ({@link RequiredServices}).
 */
public final class CdcDatabases {
  public static final String CDC_USER = "inlet_cdc";
  public static final String CDC_PASSWORD = "inlet_cdc";

  private CdcDatabases() {}

  public static String mariadb() {
    return required("INLET_IT_MARIADB");
  }

  public static String postgres() {
    return required("INLET_IT_POSTGRES");
  }

  public static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  public static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      String message =
          variable
              + " is not set: run .ci/cdc-databases.sh as root and set "
              + variable
              + "=127.0.0.1:PORT to run the connector tests";
      throw RequiredServices.missing(message);
    }
    return value;
  }

  /** A root connection to MariaDB (no database selected). */
  public static Connection mariadbRoot() throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://" + mariadb() + "/", "root", "");
  }

  /** A new empty MariaDB database for one test; its name. */
  public static String newMariadbDatabase() throws SQLException {
    String name = "inlet_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = mariadbRoot();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  public static Connection mariadb(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://" + mariadb() + "/" + database, "root", "");
  }

  /** A connection to PostgreSQL's inlet_cdc database as its owner, the CDC role. */
  public static Connection postgresCdc() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + postgres() + "/inlet_cdc", CDC_USER, CDC_PASSWORD);
  }

  public static void execute(Connection c, String... statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
