package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.ConnectorTestSupport.get;
import static io.inlet.server.connect.ConnectorTestSupport.mariadbSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AlterConnectorConfigRequest;
import io.inlet.api.hstream.ConnectorStats;
import io.inlet.api.hstream.GetConnectorLogsRequest;
import io.inlet.api.hstream.GetConnectorSpecRequest;
import io.inlet.api.hstream.GetStatsRequest;
import io.inlet.api.hstream.GetStatsResponse;
import io.inlet.api.hstream.PauseConnectorRequest;
import io.inlet.api.hstream.ResumeConnectorRequest;
import io.inlet.api.hstream.StatType;
import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.testing.Await;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A MariaDB source connector on a real MariaDB (binlog) in a real node, driven over gRPC. */
class MariaDbSourceIT extends MariadbNodeFixture {
  @Test
  void snapshot_then_inserts_updates_and_deletes_arrive_as_keyed_change_records() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(
          db,
          "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40), price DECIMAL(10,2),"
              + " placed DATETIME(3))",
          "INSERT INTO orders VALUES (1, 'apple', 1.50, '2024-05-01 10:00:00.125'),"
              + " (2, 'pear', 2.25, '2024-05-02 11:30:00')");
      create(
          client, "orders-cdc", "source", "mariadb", mariadbSource("orders", database, "orders"));
      Await.until(
          "the snapshot", Duration.ofSeconds(60), () -> changes(client, "orders").size() >= 2);
      assertThat(get(client, "orders-cdc").getStatus()).isEqualTo("RUNNING");

      execute(
          db,
          "INSERT INTO orders VALUES (3, 'plum', 0.99, NULL)",
          "UPDATE orders SET price = 1.75 WHERE id = 1",
          "DELETE FROM orders WHERE id = 2");
      Await.until(
          "the changes", Duration.ofSeconds(60), () -> changes(client, "orders").size() >= 5);
    }
    List<Change> changes = changes(client, "orders");
    assertThat(changes).extracting(Change::op).containsExactly("r", "r", "c", "u", "d");
    assertThat(changes.get(0).id()).isEqualTo(1);
    assertThat(changes.get(0).field("item")).isEqualTo("apple");
    assertThat(changes.get(0).field("price")).isEqualTo("1.50");
    assertThat(changes.get(0).field("placed")).isEqualTo("2024-05-01 10:00:00.125000");
    assertThat(changes.get(3).field("price")).isEqualTo("1.75");
    assertThat(changes.get(4).id()).isEqualTo(2);
    assertThat(changes.get(4).value()).isNull();
    assertThat(get(client, "orders-cdc").getOffsetsCount()).isPositive();

    GetStatsResponse stats =
        client
            .stub()
            .getStats(
                GetStatsRequest.newBuilder()
                    .addStats(connStat(ConnectorStats.DeliveredInRecords))
                    .addStats(connStat(ConnectorStats.DeliveredInBytes))
                    .addStats(connStat(ConnectorStats.IsAlive))
                    .build());
    assertThat(stats.getErrorsList()).isEmpty();
    assertThat(stats.getStatsValues(0).getStatValuesMap()).containsEntry("orders-cdc", 5L);
    assertThat(stats.getStatsValues(1).getStatValuesMap().get("orders-cdc")).isPositive();
    assertThat(stats.getStatsValues(2).getStatValuesMap()).containsEntry("orders-cdc", 1L);
  }

  private static StatType connStat(ConnectorStats stat) {
    return StatType.newBuilder().setConnStat(stat).build();
  }

  @Test
  void a_paused_connector_delivers_nothing_until_resumed() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)");
      create(client, "t-cdc", "SOURCE", "mariadb", mariadbSource("t", database, "t"));
      Await.until("the snapshot", Duration.ofSeconds(60), () -> changes(client, "t").size() == 1);

      client.stub().pauseConnector(PauseConnectorRequest.newBuilder().setName("t-cdc").build());
      assertThat(get(client, "t-cdc").getStatus()).isEqualTo("PAUSED");
      execute(db, "INSERT INTO t VALUES (2, 2)");
      // A running connector delivers such a row within a second or two; a paused one never does.
      Thread.sleep(2000);
      assertThat(changes(client, "t")).hasSize(1);

      client.stub().resumeConnector(ResumeConnectorRequest.newBuilder().setName("t-cdc").build());
      Await.until(
          "the change made while paused",
          Duration.ofSeconds(60),
          () -> changes(client, "t").size() == 2);
      assertThat(changes(client, "t").get(1).op()).isEqualTo("c");
      assertThat(get(client, "t-cdc").getStatus()).isEqualTo("RUNNING");
    }
    String logs =
        client
            .stub()
            .getConnectorLogs(GetConnectorLogsRequest.newBuilder().setName("t-cdc").build())
            .getLogs();
    assertThat(logs).contains("paused").contains("resumed").contains("running");
  }

  @Test
  void an_altered_config_is_checked_and_the_connector_restarts_from_its_offsets() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)");
      create(client, "t-cdc", "source", "mariadb", mariadbSource("t", database, "t"));
      Await.until("the snapshot", Duration.ofSeconds(60), () -> changes(client, "t").size() == 1);

      assertThatThrownBy(() -> alter("t-cdc", "{\"max.batch.size\":\"many\"}"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(message(e)).contains("max.batch.size");
              });
      alter("t-cdc", "{\"max.batch.size\":10}");
      assertThat(get(client, "t-cdc").getConfig()).contains("\"max.batch.size\":\"10\"");
      execute(db, "INSERT INTO t VALUES (2, 2)");
      Await.until(
          "the change after the alter",
          Duration.ofSeconds(60),
          () -> changes(client, "t").size() == 2);
      assertThat(changes(client, "t"))
          .as("no second snapshot after the restart")
          .extracting(Change::op)
          .containsExactly("r", "c");
      Await.until(
          "RUNNING",
          Duration.ofSeconds(30),
          () -> get(client, "t-cdc").getStatus().equals("RUNNING"));
    }
  }

  private void alter(String name, String config) {
    client
        .stub()
        .alterConnectorConfig(
            AlterConnectorConfigRequest.newBuilder().setName(name).setConfig(config).build());
  }

  @Test
  void bad_configs_are_refused_at_create_naming_the_key() throws Exception {
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE t (id INT PRIMARY KEY)");
    }
    String good = mariadbSource("t", database, "t");
    assertRefused(
        "source",
        "mariadb",
        good.replace("\"port\":3306", "\"port\":\"x\""),
        "key \"port\" must be an integer");
    assertRefused(
        "source", "mariadb", good.replace("\"host\":\"127.0.0.1\",", ""), "\"host\" is missing");
    assertRefused(
        "source",
        "mariadb",
        good.replace("\"password\":\"inlet_cdc\"", "\"password\":\"wrong\""),
        "");
    assertRefused("source", "oracle", good, "oracle");
    assertRefused("both", "mariadb", good, "SOURCE or SINK");
    assertRefused("source", "mariadb", "not json", "JSON");
    assertRefused(
        "source",
        "mariadb",
        good.replace("\"stream\":\"t\"", "\"stream\":\"bad name\""),
        "stream name");
    assertThat(
            client
                .stub()
                .listConnectors(io.inlet.api.hstream.ListConnectorsRequest.getDefaultInstance())
                .getConnectorsList())
        .isEmpty();

    String spec =
        client
            .stub()
            .getConnectorSpec(
                GetConnectorSpecRequest.newBuilder().setType("source").setTarget("mariadb").build())
            .getSpec();
    assertThat(spec)
        .contains("\"host\"")
        .contains("\"snapshot.mode\"")
        .contains("\"default\" : 3306");
  }

  private static String message(StatusRuntimeException e) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(e.getStatus().getDescription())
          .get("message")
          .asText();
    } catch (java.io.IOException io) {
      throw new AssertionError(io);
    }
  }

  private void assertRefused(String type, String target, String config, String mention) {
    assertThatThrownBy(() -> create(client, "bad", type, target, config))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(message(e)).contains(mention);
            });
  }
}
