package io.inlet.server.cluster;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.ConnectorTestSupport.get;
import static io.inlet.server.connect.ConnectorTestSupport.mariadbSource;
import static io.inlet.server.connect.ConnectorTestSupport.postgresSink;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.ListConnectorsRequest;
import io.inlet.api.hstream.LookupResourceRequest;
import io.inlet.api.hstream.PauseConnectorRequest;
import io.inlet.api.hstream.ResourceType;
import io.inlet.api.hstream.ResumeConnectorRequest;
import io.inlet.api.hstream.Stream;
import io.inlet.server.connect.CdcDatabases;
import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connectors in a cluster run on one node each, may be managed through any node, and are taken over
 * by another node when theirs stops: a MariaDB source created through node 1 runs on its owner, and
 * a PostgreSQL sink of its stream on the same node; the owner is stopped while rows are inserted,
 * updated and deleted; other nodes take both connectors from the offset and positions the owner
 * saved in the replicated metadata: every change reaches the stream without a second snapshot, and
 * the PostgreSQL table ends equal to the MariaDB table.
 */
class ClusterConnectorsIT {
  private static final Duration CHANGES = Duration.ofSeconds(90);
  private static final String SINK_TABLE = "cluster_orders";

  @TempDir Path dir;
  private LocalCluster cluster;
  private String database;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(pg, "DROP TABLE IF EXISTS " + SINK_TABLE);
    }
    if (database != null) {
      try (Connection c = CdcDatabases.mariadbRoot()) {
        execute(c, "DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  @Test
  void a_source_runs_on_one_node_and_another_takes_it_when_that_node_stops() throws Exception {
    database = CdcDatabases.newMariadbDatabase();
    cluster = LocalCluster.start(dir, 3, Map.of());
    // Replicated, so the stream outlives the node that is stopped below.
    cluster
        .client(1)
        .stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName("orders")
                .setShardCount(1)
                .setReplicationFactor(3)
                .build());
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(
          db,
          "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40))",
          "INSERT INTO orders VALUES (1, 'apple'), (2, 'pear')");
    }
    create(
        cluster.client(1),
        "orders-cdc",
        "source",
        "mariadb",
        mariadbSource("orders", database, "orders"));

    int owner = ownerAsked(1);
    for (int node = 2; node <= 3; node++) {
      assertThat(ownerAsked(node)).as("the owner node %d names", node).isEqualTo(owner);
    }
    int other = owner == 1 ? 2 : 1;
    // A sink whose name places it on the same node, so that stopping that node moves both.
    String sink = nameOwnedBy(owner, "orders-pg");
    try (Connection pg = CdcDatabases.postgresCdc()) {
      execute(
          pg,
          "DROP TABLE IF EXISTS " + SINK_TABLE,
          "CREATE TABLE " + SINK_TABLE + " (id INT PRIMARY KEY, item VARCHAR(40))");
    }
    create(cluster.client(other), sink, "sink", "postgresql", postgresSink("orders", SINK_TABLE));
    Await.until(
        "the snapshot, read through node " + other,
        CHANGES,
        () -> changes(cluster.client(other), "orders").size() >= 2);
    // Managed through a node that does not run it: the calls reach the owner.
    Await.until(
        () -> "RUNNING through node " + other,
        CHANGES,
        () -> get(cluster.client(other), "orders-cdc").getStatus().equals("RUNNING"));
    assertThat(get(cluster.client(other), "orders-cdc").getNode())
        .as("the node that runs it, as the owner answers")
        .isEqualTo(Integer.toString(owner));
    for (int node = 1; node <= 3; node++) {
      assertThat(listed(node))
          .as("ListConnectors on node %d", node)
          .containsExactlyInAnyOrder("orders-cdc", sink);
    }
    cluster
        .client(other)
        .stub()
        .pauseConnector(PauseConnectorRequest.newBuilder().setName("orders-cdc").build());
    assertThat(get(cluster.client(owner), "orders-cdc").getStatus()).isEqualTo("PAUSED");
    cluster
        .client(other)
        .stub()
        .resumeConnector(ResumeConnectorRequest.newBuilder().setName("orders-cdc").build());
    Await.until(
        () -> "RUNNING again on node " + owner,
        CHANGES,
        () -> get(cluster.client(owner), "orders-cdc").getStatus().equals("RUNNING"));
    // The offset after the snapshot is saved once its records are durable; give it a change too.
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "INSERT INTO orders VALUES (3, 'plum')");
    }
    Await.until(
        "row 3 in the stream",
        CHANGES,
        () -> ids(changes(cluster.client(other), "orders")).contains(3));

    cluster.stop(owner);
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(
          db,
          "INSERT INTO orders VALUES (4, 'fig')",
          "UPDATE orders SET item = 'quince' WHERE id = 1",
          "DELETE FROM orders WHERE id = 2");
    }
    int survivor = other;
    Await.until(
        () -> "another node runs the connector: " + ownerAsked(survivor),
        LocalCluster.CONVERGE,
        () -> ownerAsked(survivor) != owner);
    int taker = ownerAsked(survivor);
    Await.until(
        () ->
            "the changes made while the owner was down: "
                + changes(cluster.client(taker), "orders"),
        CHANGES,
        () -> changes(cluster.client(taker), "orders").stream().anyMatch(c -> c.op().equals("d")));
    List<Change> changes = changes(cluster.client(taker), "orders");
    assertThat(ids(changes)).containsExactly(1, 2, 3, 4);
    assertThat(changes.stream().filter(c -> c.op().equals("r")).count())
        .as("snapshot records (a second snapshot would repeat them)")
        .isEqualTo(2);
    assertThat(get(cluster.client(taker), "orders-cdc").getStatus()).isEqualTo("RUNNING");
    assertThat(listed(taker)).containsExactlyInAnyOrder("orders-cdc", sink);
    Await.until(
        () -> "the PostgreSQL table equal to the MariaDB table: " + sinkRows(),
        CHANGES,
        () -> sinkRows().equals(sourceRows()));
    assertThat(sinkRows()).containsExactly("1|quince", "3|plum", "4|fig");
  }

  /** The first of {@code base}, {@code base-1}, {@code base-2}, ... that {@code node} would run. */
  private String nameOwnedBy(int node, String base) {
    for (int i = 0; i < 100; i++) {
      String name = i == 0 ? base : base + "-" + i;
      if (ownerAsked(1, name) == node) {
        return name;
      }
    }
    throw new AssertionError("no name of 100 is placed on node " + node);
  }

  private List<String> sourceRows() {
    try (Connection db = CdcDatabases.mariadb(database)) {
      return rows(db, "orders");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> sinkRows() {
    try (Connection pg = CdcDatabases.postgresCdc()) {
      return rows(pg, SINK_TABLE);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> rows(Connection c, String table) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (var statement = c.createStatement();
        var rows = statement.executeQuery("SELECT id, item FROM " + table + " ORDER BY id")) {
      while (rows.next()) {
        out.add(rows.getInt(1) + "|" + rows.getString(2));
      }
    }
    return out;
  }

  private int ownerAsked(int node) {
    return ownerAsked(node, "orders-cdc");
  }

  private int ownerAsked(int node, String connector) {
    return cluster
        .client(node)
        .stub()
        .lookupResource(
            LookupResourceRequest.newBuilder()
                .setResType(ResourceType.ResConnector)
                .setResId(connector)
                .build())
        .getId();
  }

  private List<String> listed(int node) {
    return cluster
        .client(node)
        .stub()
        .listConnectors(ListConnectorsRequest.getDefaultInstance())
        .getConnectorsList()
        .stream()
        .map(c -> c.getName())
        .toList();
  }

  private static Set<Integer> ids(List<Change> changes) {
    return changes.stream().map(c -> (int) c.id()).collect(Collectors.toCollection(TreeSet::new));
  }
}
