package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.ConnectorTestSupport.get;
import static io.inlet.server.connect.ConnectorTestSupport.mariadbSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.Connector;
import io.inlet.api.hstream.GetConnectorLogsRequest;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.server.testing.GrpcClient;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB stopped and started again under a running source connector: while it is down the
 * connector shows FAILED with the cause and the time and keeps restarting with backoff; once it is
 * back the connector is RUNNING again by itself, and every committed row (also those committed just
 * before the stop) is in the stream, without a second snapshot. MariaDB is always started again.
 */
class MariaDbRestartIT {
  @TempDir Path dataDir;
  private InletServer server;
  private GrpcClient client;
  private String database;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (database != null) {
      try (Connection c = CdcDatabases.mariadbRoot()) {
        execute(c, "DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  @Test
  void a_database_restart_shows_failed_then_running_and_loses_no_change() throws Exception {
    MariaDbDaemon.requireControl();
    database = CdcDatabases.newMariadbDatabase();
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      insert(db, 1, 5);
    }
    server = InletServer.start(ServerConfig.forTests(dataDir));
    client = new GrpcClient(server.grpcPort());
    create(client, "t-cdc", "source", "mariadb", mariadbSource("t", database, "t"));
    Await.until("the snapshot", Duration.ofSeconds(90), () -> changes(client, "t").size() >= 5);
    Await.until("RUNNING", Duration.ofSeconds(30), () -> status().equals("RUNNING"));

    Instant stoppedAt;
    AtomicReference<Connector> failed = new AtomicReference<>();
    try {
      try (Connection db = CdcDatabases.mariadb(database)) {
        insert(db, 6, 10); // committed just before the stop: delivered before or after it
      }
      stoppedAt = Instant.now();
      MariaDbDaemon.stop();
      Await.until(
          "status FAILED while MariaDB is down",
          Duration.ofSeconds(120),
          () -> {
            Connector c = get(client, "t-cdc");
            failed.set(c);
            return c.getStatus().equals("FAILED");
          });
      Await.until(
          "a restart that failed again while MariaDB is down",
          Duration.ofSeconds(60),
          () -> logs().split("FAILED: ", -1).length > 2);
    } finally {
      MariaDbDaemon.start();
    }
    String cause = failed.get().getDockerStatus();
    assertThat(cause).startsWith("failed at ");
    Instant failedAt = Instant.parse(cause.substring("failed at ".length(), cause.indexOf(": ")));
    assertThat(failedAt).isAfterOrEqualTo(stoppedAt.minusSeconds(1));
    assertThat(cause.substring(cause.indexOf(": ") + 2)).isNotBlank();
    assertThat(logs()).contains("restarting in");

    Await.until("RUNNING again", Duration.ofSeconds(120), () -> status().equals("RUNNING"));
    try (Connection db = CdcDatabases.mariadb(database)) {
      insert(db, 11, 15);
    }
    Set<Integer> all = new HashSet<>(IntStream.rangeClosed(1, 15).boxed().toList());
    Await.until("every committed row", Duration.ofSeconds(90), () -> ids().containsAll(all));
    List<Change> changes = changes(client, "t");
    assertThat(changes.stream().filter(c -> c.op().equals("r")).count())
        .as("snapshot records (a second snapshot would repeat them)")
        .isEqualTo(5);
    assertThat(changes.stream().filter(c -> c.op().equals("c")).map(c -> (int) c.id()))
        .containsAll(IntStream.rangeClosed(6, 15).boxed().toList());
  }

  private String status() {
    return get(client, "t-cdc").getStatus();
  }

  private String logs() {
    return client
        .stub()
        .getConnectorLogs(GetConnectorLogsRequest.newBuilder().setName("t-cdc").build())
        .getLogs();
  }

  private Set<Integer> ids() {
    Set<Integer> ids = new HashSet<>();
    changes(client, "t").forEach(c -> ids.add((int) c.id()));
    return ids;
  }

  private static void insert(Connection db, int from, int to) throws Exception {
    for (int id = from; id <= to; id++) {
      execute(db, "INSERT INTO t VALUES (" + id + ", " + id * 3 + ")");
    }
  }
}
