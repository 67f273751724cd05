package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.ConnectorTestSupport.get;
import static io.inlet.server.connect.ConnectorTestSupport.postgresSource;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Value;
import io.inlet.api.hstream.DeleteConnectorRequest;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL source connector (Debezium, pgoutput) on the machine's PostgreSQL, in a real node
 * driven over gRPC: the snapshot, then inserts, updates and deletes as keyed change records; a node
 * restart resumes from the stored offset (changes made while the node was down arrive, no second
 * snapshot); deleting the connector drops its replication slot.
 */
class PostgresSourceIT {
  @TempDir Path dataDir;
  private InletServer server;
  private GrpcClient client;
  private String table;
  private String connector;

  @BeforeEach
  void start() throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    table = "pg_src_" + id;
    connector = "pg-src-" + id;
    startNode();
  }

  private void startNode() throws Exception {
    server = InletServer.start(ServerConfig.forTests(dataDir));
    client = new GrpcClient(server.grpcPort());
  }

  private void stopNode() throws Exception {
    if (client != null) {
      client.close();
      client = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @AfterEach
  void stop() throws Exception {
    stopNode();
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(pg, "DROP TABLE IF EXISTS " + table);
      // What a failed run may leave behind; a passing run's delete dropped the slot already.
      String slot = "inlet_" + connector.replace('-', '_');
      execute(
          pg,
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE slot_name = '"
              + slot
              + "' AND NOT active",
          "DROP PUBLICATION IF EXISTS " + slot);
    }
  }

  @Test
  void snapshot_changes_and_a_node_restart_arrive_once_each_and_delete_drops_the_slot()
      throws Exception {
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(
          pg,
          "CREATE TABLE "
              + table
              + " (id INT PRIMARY KEY, item TEXT, price NUMERIC(10,2), placed TIMESTAMP(3))",
          "INSERT INTO "
              + table
              + " VALUES (1, 'apple', 1.50, '2024-05-01 10:00:00.125'), (2, 'pear', 2.25, NULL)");
      create(client, connector, "source", "postgresql", postgresSource("pg-orders", table));
      assertThat(client.shardIds("pg-orders"))
          .as("the stream, once the connector is created")
          .hasSize(1);
      Await.until(
          "the snapshot", Duration.ofSeconds(90), () -> changes(client, "pg-orders").size() >= 2);
      Await.until(
          "status RUNNING",
          Duration.ofSeconds(30),
          () -> get(client, connector).getStatus().equals("RUNNING"));

      execute(
          pg,
          "INSERT INTO " + table + " VALUES (3, 'plum', 0.99, NULL)",
          "UPDATE " + table + " SET price = 1.75 WHERE id = 1",
          "DELETE FROM " + table + " WHERE id = 2");
      Await.until(
          "the changes", Duration.ofSeconds(60), () -> changes(client, "pg-orders").size() >= 5);

      List<Change> changes = changes(client, "pg-orders");
      assertThat(changes).extracting(Change::op).containsExactly("r", "r", "c", "u", "d");
      assertThat(changes.get(0).id()).isEqualTo(1);
      assertThat(changes.get(0).field("item")).isEqualTo("apple");
      assertThat(changes.get(0).field("price")).isEqualTo("1.50");
      assertThat(changes.get(0).field("placed")).isEqualTo("2024-05-01 10:00:00.125000");
      assertThat(changes.get(2).field("item")).isEqualTo("plum");
      assertThat(changes.get(3).field("price")).isEqualTo("1.75");
      assertThat(changes.get(4).id()).isEqualTo(2);
      assertThat(changes.get(4).value()).isNull();
      Value lsn =
          get(client, connector)
              .getOffsets(0)
              .getFieldsOrDefault("lsn", Value.getDefaultInstance());
      assertThat(lsn.hasNumberValue()).as("the stored offset names a WAL position").isTrue();

      // The node goes down; a change made meanwhile waits in the slot and arrives after restart.
      stopNode();
      execute(pg, "INSERT INTO " + table + " VALUES (4, 'fig', 3.00, NULL)");
      startNode();
      Await.until(
          "the change made while the node was down",
          Duration.ofSeconds(90),
          () -> changes(client, "pg-orders").size() >= 6);
      changes = changes(client, "pg-orders");
      assertThat(changes)
          .as("no second snapshot, no replayed change")
          .extracting(Change::op)
          .containsExactly("r", "r", "c", "u", "d", "c");
      assertThat(changes.get(5).id()).isEqualTo(4);
      assertThat(get(client, connector).getStatus()).isEqualTo("RUNNING");

      String slot = "inlet_" + connector.replace('-', '_');
      assertThat(slots(pg, slot)).isEqualTo(1);
      client.stub().deleteConnector(DeleteConnectorRequest.newBuilder().setName(connector).build());
      assertThat(slots(pg, slot)).as("the replication slot after delete").isZero();
    }
  }

  private static int slots(Connection pg, String slot) throws Exception {
    try (PreparedStatement q =
        pg.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")) {
      q.setString(1, slot);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
