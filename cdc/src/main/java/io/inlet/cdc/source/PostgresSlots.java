package io.inlet.cdc.source;

import io.inlet.cdc.config.ConnectorConfig;
import io.inlet.cdc.config.ConnectorSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a deleted PostgreSQL source's replication slot, so that the server stops keeping WAL for
 * it. Best effort: a failure is logged (the slot can be dropped by hand with {@code
 * pg_drop_replication_slot}).
 */
public final class PostgresSlots {
  private static final Logger log = LoggerFactory.getLogger(PostgresSlots.class);

  private PostgresSlots() {}

  public static void drop(String connector, ConnectorConfig config) {
    String slot = config.get("slot.name");
    if (slot == null) {
      slot = DebeziumProperties.slotName(connector);
    }
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
    try (Connection c = DriverManager.getConnection(url, props);
        PreparedStatement drop =
            c.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = ? AND NOT active")) {
      drop.setString(1, slot);
      drop.executeQuery().close();
    } catch (SQLException e) {
      log.warn(
          "connector {}: replication slot {} was not dropped: {}", connector, slot, e.getMessage());
    }
  }
}
