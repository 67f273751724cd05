package io.inlet.server.connect;

import static io.inlet.server.connect.CdcDatabases.execute;
import static io.inlet.server.connect.ConnectorTestSupport.changes;
import static io.inlet.server.connect.ConnectorTestSupport.create;
import static io.inlet.server.connect.ConnectorTestSupport.get;
import static io.inlet.server.connect.ConnectorTestSupport.mariadbSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.connect.ConnectorTestSupport.Change;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inlet (a child JVM) killed with SIGKILL while a MariaDB source streams changes, then restarted on
 * the same data: every committed row is in the stream, duplicates stay within one Debezium batch
 * (the batch that was durable in the stream but whose offset was not committed yet), and the
 * restart resumes from the stored offset without a new snapshot.
 */
class ConnectorCrashIT {
  private static final int BATCH = 200;
  private static final int ROWS = 3000;

  @TempDir Path work;
  private String database;

  @AfterEach
  void dropDatabase() throws Exception {
    if (database != null) {
      try (Connection c = CdcDatabases.mariadbRoot()) {
        execute(c, "DROP DATABASE IF EXISTS " + database);
      }
    }
  }

  @Test
  void sigkill_mid_stream_loses_no_committed_change_and_replays_at_most_one_batch()
      throws Exception {
    database = CdcDatabases.newMariadbDatabase();
    Set<Integer> committed = ConcurrentHashMap.newKeySet();
    try (Connection db = CdcDatabases.mariadb(database)) {
      execute(db, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      for (int id = 1; id <= 10; id++) {
        execute(db, "INSERT INTO t VALUES (" + id + ", 0)");
        committed.add(id);
      }
    }
    Path data = work.resolve("data");
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> insertRows(committed, writing), "row-writer");
    InletProcess first =
        InletProcess.start(work.resolve("run1"), data).awaitReady(Duration.ofSeconds(60));
    try (GrpcClient client = new GrpcClient(first.grpcPort())) {
      String config =
          mariadbSource("t", database, "t").replace("}", ",\"max.batch.size\":" + BATCH + "}");
      create(client, "t-cdc", "source", "mariadb", config);
      Await.until("the snapshot", Duration.ofSeconds(90), () -> changes(client, "t").size() >= 10);
      writer.start();
      Await.until(
          "changes streaming", Duration.ofSeconds(90), () -> changes(client, "t").size() >= 400);
    } finally {
      first.kill();
    }
    assertThat(committed)
        .as("rows committed when Inlet was killed (the writer must still be writing)")
        .hasSizeLessThan(ROWS + 10);
    InletProcess second =
        InletProcess.start(work.resolve("run2"), data).awaitReady(Duration.ofSeconds(60));
    try (GrpcClient client = new GrpcClient(second.grpcPort())) {
      writer.join(Duration.ofMinutes(3).toMillis());
      writing.set(false);
      writer.join();
      assertThat(committed).hasSize(ROWS + 10);
      Await.until(
          "every committed row in the stream",
          Duration.ofSeconds(120),
          () -> ids(changes(client, "t")).keySet().containsAll(committed));
      List<Change> changes = changes(client, "t");
      Map<Integer, Integer> counts = ids(changes);
      int duplicates = changes.size() - counts.size();
      assertThat(counts.keySet()).containsAll(committed);
      assertThat(duplicates).isBetween(0, BATCH);
      assertThat(changes.stream().filter(c -> c.op().equals("r")).count())
          .as("snapshot records (a second snapshot would repeat them)")
          .isEqualTo(10);
      assertThat(get(client, "t-cdc").getStatus()).isEqualTo("RUNNING");
    } finally {
      writing.set(false);
      second.kill();
    }
  }

  private static Map<Integer, Integer> ids(List<Change> changes) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Change c : changes) {
      counts.merge((int) c.id(), 1, Integer::sum);
    }
    return counts;
  }

  /** Inserts ids 11.. one transaction each, recording an id once its commit returned. */
  private void insertRows(Set<Integer> committed, AtomicBoolean writing) {
    try (Connection db = CdcDatabases.mariadb(database);
        PreparedStatement insert = db.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
      for (int id = 11; id < 11 + ROWS && writing.get(); id++) {
        insert.setInt(1, id);
        insert.setInt(2, id * 7);
        insert.executeUpdate();
        committed.add(id);
        if (id % 20 == 0) {
          Thread.sleep(5);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
