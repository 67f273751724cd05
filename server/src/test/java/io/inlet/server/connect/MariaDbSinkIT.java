package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.SinkChanges.delete;
import static io.inlet.server.connect.SinkChanges.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.cdc.ConnectorView;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDBC sink into MariaDB, through MariaDB's driver ({@code mariadb}) and MySQL's ({@code
 * mysql}, the target a MySQL server takes): upserts and deletes in stream order, a record the table
 * refuses sent to the dead-letter stream while the rest go on.
 */
class MariaDbSinkIT {
  private static final String STREAM = "changes";
  private static final String USER = "inlet_sink";

  @TempDir Path dataDir;
  private String database;
  private InletServer server;
  private GrpcClient client;
  private long shard;

  @BeforeEach
  void start() throws Exception {
    database = CdcDatabases.newMariadbDatabase();
    try (Connection root = CdcDatabases.mariadbRoot()) {
      execute(
          root,
          "CREATE TABLE "
              + database
              + ".t (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INT)",
          "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + USER + "'",
          "CREATE USER IF NOT EXISTS '" + USER + "'@'localhost' IDENTIFIED BY '" + USER + "'",
          "GRANT SELECT, INSERT, UPDATE, DELETE ON " + database + ".* TO '" + USER + "'@'%'",
          "GRANT SELECT, INSERT, UPDATE, DELETE ON "
              + database
              + ".* TO '"
              + USER
              + "'@'localhost'");
    }
    server = InletServer.start(ServerConfig.forTests(dataDir));
    client = new GrpcClient(server.grpcPort());
    client.createStream(STREAM, 1);
    shard = client.shardIds(STREAM).get(0);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    try (Connection root = CdcDatabases.mariadbRoot()) {
      execute(root, "DROP DATABASE IF EXISTS " + database);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mariadb", "mysql"})
  void the_table_ends_as_the_stream_says_and_a_refused_record_is_dead_lettered(String target)
      throws Exception {
    Map<Integer, String> expected = new TreeMap<>();
    int appended = 0;
    for (List<String> batch : SinkChanges.random(new Random(5), 60, 10, 12, expected)) {
      appended += append(batch);
    }
    // Transactions of 10 records, one appended batch each, mixing upserts and deletes of a key.
    // NOT NULL refuses the middle one here; the changes around it still apply.
    appended += append(List.of(upsert(90, "kept", 1), upsert(91, null, 2), delete(90)));
    appended += append(List.of(upsert(92, "last", 3)));
    expected.put(92, "92|last|3");

    create(client, "to-" + target, "sink", target, sinkConfig());

    int total = appended;
    Await.until(
        "every record written or dead-lettered",
        Duration.ofSeconds(60),
        () -> view(target).records() + view(target).deadLettered() >= total);
    assertThat(rows()).isEqualTo(new ArrayList<>(expected.values()));
    assertThat(view(target).deadLettered()).isEqualTo(1);
    assertThat(server.store().streams().get("to-" + target + "-dlq"))
        .as("the default dead-letter stream")
        .isPresent();
  }

  private String sinkConfig() {
    return "{\"stream\":\""
        + STREAM
        + "\",\"host\":\""
        + CdcDatabases.host(CdcDatabases.mariadb())
        + "\",\"port\":"
        + CdcDatabases.port(CdcDatabases.mariadb())
        + ",\"user\":\""
        + USER
        + "\",\"password\":\""
        + USER
        + "\",\"database\":\""
        + database
        + "\",\"table\":\"t\",\"batch.size\":10,"
        + "\"restart.backoff.initial.ms\":100,\"restart.backoff.max.ms\":500}";
  }

  private ConnectorView view(String target) {
    return server.connectors().runtime().get("to-" + target);
  }

  private List<String> rows() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = CdcDatabases.mariadb(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, name, qty FROM t ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getInt(3));
      }
    }
    return out;
  }

  /** Appends one batch of change records; returns how many. */
  private int append(List<String> changes) {
    SinkChanges.append(client, STREAM, shard, changes);
    return changes.size();
  }
}
