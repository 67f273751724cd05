package io.inlet.cdc.source;

import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.config.ConnectorSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a deleted PostgreSQL source's replication slot, so that the server stops keeping WAL for
 * it, and the publication Inlet named for it (one the user named in {@code publication.name} is
 * left alone). Best effort: a failure is logged (the slot can be dropped by hand with {@code
 * pg_drop_replication_slot}).
 */
public final class PostgresSlots {
  private static final Logger log = LoggerFactory.getLogger(PostgresSlots.class);

  /** The server ends the stopped connector's WAL sender shortly after its connection closed. */
  private static final long INACTIVE_WAIT_MS = 15_000;

  private PostgresSlots() {}

  public static void drop(String connector, ConnectorConfig config) {
    String defaultName = DebeziumProperties.slotName(connector);
    String slot = config.get("slot.name") == null ? defaultName : config.get("slot.name");
    String url =
        "jdbc:postgresql://"
            + config.get(ConnectorSpec.HOST)
            + ":"
            + config.get(ConnectorSpec.PORT)
            + "/"
            + config.get(ConnectorSpec.DATABASE);
    Properties props = new Properties();
    props.setProperty("user", config.get(ConnectorSpec.USER));
    props.setProperty("password", config.get(ConnectorSpec.PASSWORD_KEY));
    try (Connection c = DriverManager.getConnection(url, props)) {
      awaitInactive(c, slot);
      try (PreparedStatement drop =
          c.prepareStatement(
              "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                  + " WHERE slot_name = ? AND NOT active")) {
        drop.setString(1, slot);
        drop.executeQuery().close();
      }
      if (config.get("publication.name") == null) {
        try (Statement s = c.createStatement()) {
          s.execute("DROP PUBLICATION IF EXISTS \"" + defaultName + "\"");
        }
      }
    } catch (SQLException e) {
      log.warn(
          "connector {}: replication slot {} was not dropped: {}", connector, slot, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitInactive(Connection c, String slot)
      throws SQLException, InterruptedException {
    long deadline = System.currentTimeMillis() + INACTIVE_WAIT_MS;
    try (PreparedStatement active =
        c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      active.setString(1, slot);
      while (System.currentTimeMillis() < deadline) {
        try (ResultSet rs = active.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) {
            return;
          }
        }
        Thread.sleep(100);
      }
    }
  }
}
