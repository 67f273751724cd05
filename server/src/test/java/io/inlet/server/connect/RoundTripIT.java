package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.ConnectorTestSupport.mariadbSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.CompressionType;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MariaDB to a stream (source) to PostgreSQL (JDBC sink): after inserts, updates and deletes the
 * target table equals the source table; a record the table refuses goes to the dead-letter stream.
 */
class RoundTripIT extends MariadbNodeFixture {
  @BeforeEach
  void dropTargetTable() throws Exception {
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(pg, "DROP TABLE IF EXISTS rt_items");
    }
  }

  @Test
  void the_postgresql_table_ends_equal_to_the_mariadb_table() throws Exception {
    try (Connection src = CdcDatabases.mariadb(database);
        Connection pg = CdcDatabases.postgresCdc()) {
      execute(
          src,
          "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), qty INT, price DECIMAL(10,2),"
              + " seen DATETIME(6))");
      for (int i = 1; i <= 50; i++) {
        execute(
            src,
            "INSERT INTO items VALUES ("
                + i
                + ", 'n"
                + i
                + "', "
                + i
                + ", "
                + i
                + ".25, '2024-01-02 03:04:05.000006')");
      }
      execute(
          pg,
          "CREATE TABLE rt_items (id INT PRIMARY KEY, name VARCHAR(40), qty INT,"
              + " price NUMERIC(10,2), seen TIMESTAMP(6))");
      create(client, "items-src", "source", "mariadb", mariadbSource("items", database, "items"));
      String sink =
          "{\"stream\":\"items\",\"host\":\""
              + CdcDatabases.host(CdcDatabases.postgres())
              + "\",\"port\":"
              + CdcDatabases.port(CdcDatabases.postgres())
              + ",\"user\":\"inlet_cdc\",\"password\":\"inlet_cdc\",\"database\":\"inlet_cdc\","
              + "\"table\":\"rt_items\",\"batch.size\":20}";
      Await.until(
          "the stream",
          Duration.ofSeconds(60),
          () -> server.store().streams().get("items").isPresent());
      create(client, "items-pg", "sink", "postgresql", sink);

      execute(
          src,
          "UPDATE items SET qty = qty * 10 WHERE id <= 10",
          "DELETE FROM items WHERE id BETWEEN 20 AND 29",
          "INSERT INTO items VALUES (100, 'late', NULL, NULL, NULL)",
          "UPDATE items SET name = 'renamed' WHERE id = 100");
      Await.until(
          "the target table to equal the source",
          Duration.ofSeconds(90),
          () -> rows(src, "items").equals(rows(pg, "rt_items")));
      assertThat(rows(pg, "rt_items")).hasSize(41);

      // A record the table refuses (a value too long for name) goes to the dead-letter stream.
      client
          .stub()
          .append(
              io.inlet.api.hstream.AppendRequest.newBuilder()
                  .setStreamName("items")
                  .setShardId(client.shardIds("items").get(0))
                  .setRecords(
                      RecordBatches.encode(
                          List.of(
                              HStreamRecords.json(
                                  "999",
                                  HStreamRecords.structFromJson(
                                      "{\"key\":{\"id\":999},\"value\":{\"id\":999,\"name\":\""
                                          + "x".repeat(100)
                                          + "\"}}"),
                                  Map.of())),
                          CompressionType.None))
                  .build());
      execute(src, "INSERT INTO items VALUES (101, 'after', 1, 1.00, NULL)");
      Await.until(
          "the row after the poison record",
          Duration.ofSeconds(60),
          () -> rows(src, "items").equals(rows(pg, "rt_items")));
      Await.until(
          "the dead letter",
          Duration.ofSeconds(30),
          () ->
              server.store().streams().get("items-pg-dlq").isPresent()
                  && !StreamContents.payloads(client, "items-pg-dlq").isEmpty());
      List<String> letters = new ArrayList<>();
      StreamContents.records(client, "items-pg-dlq")
          .forEach(r -> letters.add(HStreamRecords.payloadAsText(r)));
      assertThat(letters).hasSize(1);
      assertThat(letters.get(0)).contains("\\\"id\\\":999").contains("error");
    }
  }

  private static List<String> rows(Connection c, String table) {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT id, name, qty, price, seen FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        out.add(
            rs.getInt(1)
                + "|"
                + rs.getString(2)
                + "|"
                + rs.getObject(3)
                + "|"
                + rs.getBigDecimal(4)
                + "|"
                + rs.getTimestamp(5));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
